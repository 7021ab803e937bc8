using Marketplace.Contracts.Identity;

namespace Marketplace.Notifications.Tests;

/// <summary>A directory that missed the gateway's announcements (its queue did not exist yet) asks for them again at start.</summary>
public sealed class DirectoryFillTests(NotificationsApi api) : IClassFixture<NotificationsApi>
{
    [Fact]
    public async Task At_start_the_service_asks_the_gateway_to_publish_its_accounts_again()
    {
        _ = api.Client;
        var request = await api.Published<AccountsReplayRequested>(_ => true);
        Assert.Equal("notifications", request.RequestedBy);
    }
}
