using Marketplace.Notifications;
using Marketplace.ServiceDefaults;

return ServiceHost.Run(args, builder => builder.AddNotifications(), app => app.MapNotifications());

public partial class Program;
