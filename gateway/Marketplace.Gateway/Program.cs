using Marketplace.Gateway;
using Marketplace.ServiceDefaults;

if (HealthProbe.RunIfAsked(args) is { } exitCode) return exitCode;

var app = GatewayHost.Build(args);
app.Run();
return 0;

public partial class Program;
