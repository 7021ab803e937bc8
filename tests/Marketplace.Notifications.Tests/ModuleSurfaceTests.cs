namespace Marketplace.Notifications.Tests;

/// <summary>A host sees the module through its entry class only; everything else stays inside.</summary>
public sealed class ModuleSurfaceTests
{
    [Fact]
    public void Only_the_module_entry_class_is_public()
    {
        var exported = typeof(NotificationsModule).Assembly.GetExportedTypes().Select(t => t.FullName);
        Assert.Equal(["Marketplace.Notifications.NotificationsModule"], exported);
        Assert.Equal("notifications", NotificationsModule.StoreKey);
    }
}
