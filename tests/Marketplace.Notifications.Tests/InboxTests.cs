using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.TestKit;

namespace Marketplace.Notifications.Tests;

/// <summary>A user's inbox: only their own notifications, newest first, unread counted, read one by one or all at once.</summary>
public sealed class InboxTests(NotificationsApi api) : IClassFixture<NotificationsApi>
{
    /// <summary>A user with <paramref name="count"/> notifications, one a minute apart, the last the newest.</summary>
    private async Task<(User User, List<Guid> Listings)> UserWith(int count)
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        var listings = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            api.Clock.Now += TimeSpan.FromMinutes(1);
            var listing = Events.Listing(user.Organisation, title: $"成果 {i + 1}");
            await api.Deliver(new ListingPublished { Listing = listing });
            listings.Add(listing.Id);
        }
        return (user, listings);
    }

    [Fact]
    public async Task The_inbox_lists_the_newest_first_with_the_unread_count_and_pages()
    {
        var (user, listings) = await UserWith(3);

        var page = await (await api.Client.Send(HttpMethod.Get, "/api/notifications?page=1&pageSize=2", user.Token)).Expect(200);
        Assert.Equal(3, (long)page["total"]!);
        Assert.Equal(1, (int)page["page"]!);
        Assert.Equal(2, (int)page["pageSize"]!);
        Assert.Equal(3, (long)page["unread"]!);
        Assert.Equal([$"/listings/{listings[2]}", $"/listings/{listings[1]}"], page["items"]!.AsArray().Select(n => (string)n!["link"]!));
        var second = await (await api.Client.Send(HttpMethod.Get, "/api/notifications?page=2&pageSize=2", user.Token)).Expect(200);
        Assert.Equal($"/listings/{listings[0]}", (string)Assert.Single(second["items"]!.AsArray())!["link"]!);
        var item = page["items"]![0]!.AsObject();
        Assert.Equal(["body", "createdAt", "id", "kind", "link", "read", "title"], item.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Reading_a_notification_lowers_the_unread_count_once_however_often_it_is_read()
    {
        var (user, _) = await UserWith(2);
        var id = (string)(await api.Inbox(user))[0]["id"]!;
        Assert.Equal(2, await api.Unread(user));

        var read = await (await api.Client.Send(HttpMethod.Post, $"/api/notifications/{id}/read", user.Token)).Expect(200);
        Assert.True((bool)read["read"]!);
        Assert.Equal(id, (string)read["id"]!);
        Assert.Equal(1, await api.Unread(user));
        var again = await api.Client.Send(HttpMethod.Post, $"/api/notifications/{id}/read", user.Token);
        Assert.True((bool)(await again.Expect(200))["read"]!);
        Assert.NotNull(again.Headers.ETag);
        Assert.Equal(1, await api.Unread(user));

        var unread = await (await api.Client.Send(HttpMethod.Get, "/api/notifications?unread=true", user.Token)).Expect(200);
        Assert.Equal(1, (long)unread["total"]!);
        Assert.All(unread["items"]!.AsArray(), n => Assert.False((bool)n!["read"]!));
        var readOnes = await (await api.Client.Send(HttpMethod.Get, "/api/notifications?unread=false", user.Token)).Expect(200);
        Assert.Equal(id, (string)Assert.Single(readOnes["items"]!.AsArray())!["id"]!);
    }

    [Fact]
    public async Task Read_all_marks_every_unread_notification_and_says_how_many()
    {
        var (user, _) = await UserWith(3);
        var (other, _) = await UserWith(1);
        await (await api.Client.Send(HttpMethod.Post, $"/api/notifications/{(await api.Inbox(user))[0]["id"]}/read", user.Token)).Expect(200);

        var all = await (await api.Client.Send(HttpMethod.Post, "/api/notifications/read-all", user.Token)).Expect(200);
        Assert.Equal(2, (int)all["updated"]!);
        Assert.Equal(0, await api.Unread(user));
        Assert.All(await api.Inbox(user), n => Assert.True((bool)n["read"]!));
        Assert.Equal(1, await api.Unread(other)); // another user's inbox is theirs

        Assert.Equal(0, (int)(await (await api.Client.Send(HttpMethod.Post, "/api/notifications/read-all", user.Token)).Expect(200))["updated"]!);
    }

    [Fact]
    public async Task Read_all_of_more_than_a_batch_while_notifications_keep_arriving_marks_each_once_and_errs_nowhere()
    {
        const int count = 130;
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        for (var i = 0; i < count / 2; i++)
            await api.Harness.Bus.Publish(new ListingPublished { Listing = Events.Listing(user.Organisation, title: $"批量成果 {i}") });
        await WaitForTotal(user, count / 2);
        var arriving = Task.Run(async () =>
        {
            for (var i = count / 2; i < count; i++)
                await api.Harness.Bus.Publish(new ListingPublished { Listing = Events.Listing(user.Organisation, title: $"批量成果 {i}") });
        });

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => api.Client.Send(HttpMethod.Post, "/api/notifications/read-all", user.Token)));
        var updated = 0;
        foreach (var answer in answers) updated += (int)(await answer.Expect(200))["updated"]!;
        await arriving;
        await WaitForTotal(user, count);

        var left = await api.Unread(user);
        Assert.True(updated >= count / 2, $"Only {updated} marked read.");
        Assert.Equal(count, updated + left); // each marked once, by one of the racing requests, or still unread (it came later)
        Assert.Equal(left, (int)(await (await api.Client.Send(HttpMethod.Post, "/api/notifications/read-all", user.Token)).Expect(200))["updated"]!);
        Assert.Equal(0, await api.Unread(user));
    }

    private async Task WaitForTotal(User user, long total)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await (await api.Client.Send(HttpMethod.Get, "/api/notifications?pageSize=1", user.Token)).Expect(200))["total"]! < total)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{total} notifications did not arrive.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Another_users_notification_is_not_found_and_stays_unread()
    {
        var (owner, _) = await UserWith(1);
        var colleague = await api.Account(NotificationsApi.Org("other"), Roles.University);
        var id = (string)(await api.Inbox(owner))[0]["id"]!;

        await (await api.Client.Send(HttpMethod.Post, $"/api/notifications/{id}/read", colleague.Token)).Expect(404);
        await (await api.Client.Send(HttpMethod.Post, $"/api/notifications/{Guid.NewGuid()}/read", colleague.Token)).Expect(404);
        Assert.Empty(await api.Inbox(colleague));
        Assert.Equal(1, await api.Unread(owner));
    }

    [Theory]
    [InlineData("GET", "/api/notifications")]
    [InlineData("GET", "/api/notifications/unread")]
    [InlineData("POST", "/api/notifications/read-all")]
    [InlineData("POST", "/api/notifications/00000000-0000-0000-0000-000000000001/read")]
    [InlineData("GET", "/api/notifications/settings")]
    [InlineData("PUT", "/api/notifications/settings")]
    public async Task Anonymous_callers_are_asked_to_sign_in(string method, string path)
    {
        var response = await api.Client.Send(new HttpMethod(method), path, body: method == "PUT" ? new { emailKinds = new { } } : null);
        Assert.Equal(401, (int)response.StatusCode);
    }

    [Theory, MemberData(nameof(QueryBounds.BadPaging), MemberType = typeof(QueryBounds))]
    public async Task Pages_out_of_range_or_not_numbers_are_400_naming_the_parameter(string query, string parameter)
    {
        var user = api.Token("bounds-user", Roles.Enterprise, "bounds-org");
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/notifications?" + query, user)).Expect(400), parameter);
    }

    [Theory]
    [InlineData("unread=maybe")]
    [InlineData("unread=1")]
    public async Task An_unread_filter_that_is_not_true_or_false_is_400_naming_it(string query)
    {
        var user = api.Token("bounds-user", Roles.Enterprise, "bounds-org");
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/notifications?" + query, user)).Expect(400), "unread");
    }
}
