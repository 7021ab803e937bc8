using Marketplace.Matching;
using Marketplace.ServiceDefaults;

return ServiceHost.Run(args, builder => builder.AddMatching(), app => app.MapMatching());

public partial class Program;
