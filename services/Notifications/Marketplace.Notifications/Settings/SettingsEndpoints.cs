using Marketplace.Contracts;
using Marketplace.Notifications.Recipients;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Marketplace.Notifications.Settings;

internal sealed record NotificationSettingsResponse
{
    /// <summary>The address mail goes to: the user's own choice, else the account's; absent when there is none.</summary>
    public string? Email { get; init; }
    /// <summary>Whether <see cref="Email"/> is an address the user chose (false: the account's).</summary>
    public required bool CustomEmail { get; init; }
    /// <summary>Every notification kind (wire code) and whether it also comes by mail.</summary>
    public required IReadOnlyDictionary<string, bool> EmailKinds { get; init; }
    /// <summary>Whether this market sends mail at all (an SMTP server is configured).</summary>
    public required bool MailEnabled { get; init; }
}

internal static class SettingsEndpoints
{
    public static IEndpointRouteBuilder MapSettingsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications/settings").WithTags("Notifications 通知").RequireAuthorization().ProducesProblems(401, 403);
        group.MapGet("/", Get)
            .WithSummary("通知设置 / Which notifications also come by mail, and to which address");
        group.MapPut("/", Put).ProducesProblems(400, 412, 413, 415)
            .WithSummary("修改通知设置 / Change the mail address or the kinds that come by mail (If-Match optional)");
        return app;
    }

    private static async Task<OkWithETag<NotificationSettingsResponse>> Get(MarketUser user, AggregateStore<NotificationSettings> store,
        RecipientDirectory directory, IOptions<NotificationsOptions> options, TimeProvider time, CancellationToken ct)
    {
        var settings = await OwnAsync(store, user, time, ct);
        return MarketResults.OkWithETag(await RespondAsync(settings, user, directory, options.Value, ct), settings.Version);
    }

    private static async Task<OkWithETag<NotificationSettingsResponse>> Put(NotificationSettingsInput? input, MarketUser user, HttpContext http,
        AggregateStore<NotificationSettings> store, RecipientDirectory directory, IOptions<NotificationsOptions> options, TimeProvider time, CancellationToken ct)
    {
        var ifMatch = ETags.OptionalIfMatch(http.Request);
        var change = SettingsRules.Validate(input);
        var settings = await store.ChangeAsync(t => OwnAsync(store, user, time, t), ifMatch, _ => { },
            s => s.Change(change.Email, change.Kinds, time.GetUtcNow()), ct);
        return MarketResults.OkWithETag(await RespondAsync(settings, user, directory, options.Value, ct), settings.Version);
    }

    /// <summary>The caller's settings, made with the defaults the first time they are asked for (so they always have a version to match).</summary>
    private static async Task<NotificationSettings> OwnAsync(AggregateStore<NotificationSettings> store, MarketUser user, TimeProvider time, CancellationToken ct)
    {
        if (await store.FindAsync(user.Subject, ct) is { } existing) return existing;
        var created = NotificationSettings.Defaults(user.Subject, user.IsDemo, time.GetUtcNow());
        try
        {
            await store.InsertAsync(created, ct);
            return created;
        }
        catch (DocumentExistsException)
        {
            return await store.FindAsync(user.Subject, ct) ?? created; // made by a request at the same moment
        }
    }

    private static async Task<NotificationSettingsResponse> RespondAsync(NotificationSettings settings, MarketUser user, RecipientDirectory directory,
        NotificationsOptions options, CancellationToken ct)
    {
        var account = await directory.FindAsync(user.Subject, ct);
        return new NotificationSettingsResponse
        {
            Email = settings.Email ?? account?.Email,
            CustomEmail = settings.Email is not null,
            EmailKinds = Enum.GetValues<NotificationKind>().ToDictionary(WireCode.Of, settings.Mails),
            MailEnabled = options.MailEnabled,
        };
    }
}
