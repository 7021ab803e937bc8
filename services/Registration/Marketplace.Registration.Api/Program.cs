using Marketplace.Registration;
using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMarketAuthentication();
builder.AddRegistration();
builder.AddMarketMessaging();

var app = builder.Build();
app.UseServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapServiceDefaults();
app.MapRegistration();
app.Run();

public partial class Program;
