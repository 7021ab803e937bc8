using Marketplace.Registration;
using Marketplace.ServiceDefaults;

return ServiceHost.Run(args, builder => builder.AddRegistration(), app => app.MapRegistration());

public partial class Program;
