using Marketplace.Broker;
using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Messaging;

if (HealthProbe.RunIfAsked(args) is { } exitCode) return exitCode;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMarketAuthentication();
builder.AddBroker();
builder.AddMarketMessaging();

var app = builder.Build();
app.UseServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapServiceDefaults();
app.MapBroker();
app.Run();
return 0;

public partial class Program;
