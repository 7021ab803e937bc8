using Marketplace.Broker;
using Marketplace.ServiceDefaults;

return ServiceHost.Run(args, builder => builder.AddBroker(), app => app.MapBroker());

public partial class Program;
