using Marketplace.Listing;
using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Messaging;

if (HealthProbe.RunIfAsked(args) is { } exitCode) return exitCode;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMarketAuthentication();
builder.AddListing();
builder.AddMarketMessaging();

var app = builder.Build();
app.UseServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapServiceDefaults();
app.MapListing();
app.Run();
return 0;

public partial class Program;
