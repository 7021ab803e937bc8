using Marketplace.Listing;
using Marketplace.ServiceDefaults;

return ServiceHost.Run(args, builder => builder.AddListing(), app => app.MapListing());

public partial class Program;
