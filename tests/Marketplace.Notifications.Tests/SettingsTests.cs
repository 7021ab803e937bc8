using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Notifications.Tests;

/// <summary>Each user chooses which notifications also come by mail and where to; demo accounts get none unless they ask.</summary>
public sealed class SettingsTests(NotificationsApi api) : IClassFixture<NotificationsApi>
{
    private static readonly string[] AllKinds =
    [
        "listing_approved", "listing_rejected", "interest_received", "interest_accepted", "interest_declined", "interest_withdrawn",
        "interest_message", "lead_offered", "lead_moved_on", "deal_stage_changed", "proposal_received", "challenge_awarded",
        "application_submitted", "application_registered", "application_returned", "application_refused", "application_revoked", "broker_approved",
        "working_calendar_missing",
    ];

    private async Task<(JsonObject Body, string ETag)> Get(User user)
    {
        var response = await api.Client.Send(HttpMethod.Get, "/api/notifications/settings", user.Token);
        var body = await response.Expect(200);
        return (body, response.Headers.ETag!.Tag);
    }

    private Task<HttpResponseMessage> Put(User user, object body, string? ifMatch = null) =>
        api.Client.Send(HttpMethod.Put, "/api/notifications/settings", user.Token, body,
            ifMatch is null ? null : new Dictionary<string, string> { ["If-Match"] = ifMatch });

    [Fact]
    public async Task A_normal_account_gets_every_kind_by_mail_at_its_accounts_address()
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        var (settings, etag) = await Get(user);

        Assert.Equal(user.Email, (string?)settings["email"]);
        Assert.False((bool)settings["customEmail"]!);
        Assert.False((bool)settings["mailEnabled"]!); // this host has no SMTP server
        var kinds = settings["emailKinds"]!.AsObject();
        Assert.Equal(AllKinds.Order(), kinds.Select(k => k.Key).Order());
        Assert.All(kinds, k => Assert.True((bool)k.Value!));
        Assert.Equal("\"1\"", etag);
    }

    [Fact]
    public async Task A_demo_account_gets_no_mail_unless_it_asks()
    {
        var demo = await api.Account("demo-university", Roles.University, demo: true);
        var (settings, _) = await Get(demo);
        Assert.All(settings["emailKinds"]!.AsObject(), k => Assert.False((bool)k.Value!));

        var changed = await (await Put(demo, new { emailKinds = new Dictionary<string, bool> { ["interest_received"] = true } })).Expect(200);
        Assert.True((bool)changed["emailKinds"]!["interest_received"]!);
        Assert.False((bool)changed["emailKinds"]!["listing_approved"]!);
    }

    [Fact]
    public async Task A_user_switches_kinds_off_and_chooses_another_address_and_the_rest_stays()
    {
        var user = await api.Account(NotificationsApi.Org("zzrail"));
        var (_, etag) = await Get(user);

        var response = await Put(user, new { email = "  tech-transfer@zzrail.example.cn ", emailKinds = new Dictionary<string, bool> { ["interest_message"] = false } }, etag);
        var changed = await response.Expect(200);
        Assert.Equal("tech-transfer@zzrail.example.cn", (string)changed["email"]!);
        Assert.True((bool)changed["customEmail"]!);
        Assert.False((bool)changed["emailKinds"]!["interest_message"]!);
        Assert.True((bool)changed["emailKinds"]!["interest_received"]!);
        Assert.Equal("\"2\"", response.Headers.ETag!.Tag);

        var again = await (await Put(user, new { emailKinds = new Dictionary<string, bool> { ["deal_stage_changed"] = false } })).Expect(200);
        Assert.False((bool)again["emailKinds"]!["interest_message"]!); // kept from the change before
        Assert.Equal("tech-transfer@zzrail.example.cn", (string)again["email"]!);

        var back = await (await Put(user, new { email = "" })).Expect(200);
        Assert.Equal(user.Email, (string?)back["email"]);
        Assert.False((bool)back["customEmail"]!);
        Assert.Equal((await Get(user)).Body.ToJsonString(), back.ToJsonString());
    }

    [Fact]
    public async Task A_change_made_against_a_version_someone_else_changed_is_412_and_changes_nothing()
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        var (_, etag) = await Get(user);
        await (await Put(user, new { emailKinds = new Dictionary<string, bool> { ["lead_offered"] = false } }, etag)).Expect(200);

        await (await Put(user, new { emailKinds = new Dictionary<string, bool> { ["broker_approved"] = false } }, etag)).Expect(412);
        Assert.True((bool)(await Get(user)).Body["emailKinds"]!["broker_approved"]!);
        await (await Put(user, new { }, "not-a-tag")).Expect(400);
    }

    [Theory]
    [InlineData("""{"email":"not-an-address"}""", "email")]
    [InlineData("""{"email":"a@b"}""", "email")]
    [InlineData("""{"email":"name@example.cn\u202E"}""", "email")]
    [InlineData("""{"emailKinds":{"interest_received":true,"weekly_digest":true}}""", "emailKinds")]
    [InlineData("""{"emailKinds":{"INTEREST_RECEIVED":false}}""", "emailKinds")]
    [InlineData("""{"emailKinds":{"interest_received":"yes"}}""", "emailKinds.interest_received")]
    [InlineData("""{"emailKinds":["interest_received"]}""", "emailKinds")]
    [InlineData("""{"email":42}""", "email")]
    [InlineData("null", "body")]
    public async Task A_bad_address_or_an_unknown_kind_is_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        var before = (await Get(user)).Body.ToJsonString();

        var problem = await (await Put(user, body)).Expect(400);
        Assert.True(problem["errors"]?[field] is not null, $"The problem does not name {field}: {problem.ToJsonString()}");
        Assert.Equal(before, (await Get(user)).Body.ToJsonString());
    }

    [Fact]
    public async Task Settings_of_a_user_the_directory_does_not_know_have_no_address_until_they_give_one()
    {
        var token = api.Token("newcomer-" + Guid.NewGuid().ToString("N")[..8], Roles.Enterprise, "org-new");
        var user = new User("", "org-new", Roles.Enterprise, token, null);
        var (settings, _) = await Get(user);
        Assert.Null(settings["email"]);

        var changed = await (await Put(user, new { email = "me@org-new.example.cn" })).Expect(200);
        Assert.Equal("me@org-new.example.cn", (string)changed["email"]!);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_a_problem_and_changes_nothing()
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        var before = (await Get(user)).Body.ToJsonString();

        await (await Put(user, "{\"email\": ")).Expect(400);
        using var text = new HttpRequestMessage(HttpMethod.Put, "/api/notifications/settings") { Content = new StringContent("email=a@b.cn") };
        text.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.Token);
        await (await api.Client.SendAsync(text)).Expect(415);
        Assert.Equal(before, (await Get(user)).Body.ToJsonString());
    }
}
