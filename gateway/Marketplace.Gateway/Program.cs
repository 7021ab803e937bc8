using Marketplace.Gateway;

var app = GatewayHost.Build(args);
app.Run();

public partial class Program;
