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

    [Fact]
    public async Task A_directory_that_still_knows_nobody_after_asking_asks_again()
    {
        // nobody answers here (no gateway), as when the first request went out before the gateway's queue was bound
        var first = await api.Published<AccountsReplayRequested>(_ => true);
        var again = await api.Published<AccountsReplayRequested>(r => r.RequestId != first.RequestId);
        Assert.Equal("notifications", again.RequestedBy);
    }
}
