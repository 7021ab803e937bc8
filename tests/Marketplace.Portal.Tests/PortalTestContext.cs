using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Portal.Tests;

/// <summary>A bUnit context with what the portal's components need: Ant Design's services and a lenient JS runtime.</summary>
public abstract class PortalTestContext : BunitContext
{
    protected PortalTestContext()
    {
        Services.AddAntDesign();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }
}
