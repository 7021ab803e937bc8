using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Notifications.Inbox;

internal sealed record NotificationResponse
{
    public required Guid Id { get; init; }
    public required NotificationKind Kind { get; init; }
    public required string Title { get; init; }
    /// <summary>One or two sentences in Chinese.</summary>
    public required string Body { get; init; }
    /// <summary>The portal page the notification is about (a path under the portal's address).</summary>
    public required string Link { get; init; }
    public required bool Read { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; init; }

    public static NotificationResponse From(Notification n) => new()
    {
        Id = n.Id, Kind = n.Kind, Title = n.Title, Body = n.Body, Link = n.Link, Read = n.Read, CreatedAt = n.CreatedAt, ReadAt = n.ReadAt,
    };
}

/// <summary>A page of the caller's notifications, newest first, with how many of all of them are unread.</summary>
internal sealed record NotificationPage(IReadOnlyList<NotificationResponse> Items, long Total, int Page, int PageSize, long Unread);

internal sealed record NotificationUnreadCount(long Unread);

internal sealed record NotificationsMarkedRead(int Updated);

internal static class NotificationEndpoints
{
    private const int ReadAllBatch = 100;

    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Notifications 通知").RequireAuthorization().ProducesProblems(401, 403);
        group.MapGet("/", List).ProducesProblems(400)
            .WithSummary("我的通知 / The caller's notifications, newest first (unread=true: only the unread)");
        group.MapGet("/unread", Unread)
            .WithSummary("未读数 / How many of the caller's notifications are unread");
        group.MapPost("/{id:guid}/read", Read).ProducesProblems(404)
            .WithSummary("标为已读 / Mark one notification read (again: no change)");
        group.MapPost("/read-all", ReadAll)
            .WithSummary("全部标为已读 / Mark every unread notification of the caller read");
        return app;
    }

    private static async Task<Ok<NotificationPage>> List(MarketUser user, AggregateStore<Notification> store, CancellationToken ct,
        int? page, int? pageSize, bool? unread)
    {
        var paging = Paging.From(page, pageSize);
        var filter = unread is { } u
            ? FieldFilter.Eq("recipientRead", Notification.RecipientRead(user.Subject, read: !u))
            : FieldFilter.Eq("recipient", user.Subject);
        var list = await paging.QueryAsync(store, [filter], "createdKey", NotificationResponse.From, ct);
        return TypedResults.Ok(new NotificationPage(list.Items, list.Total, list.Page, list.PageSize, await UnreadAsync(store, user, ct)));
    }

    private static async Task<Ok<NotificationUnreadCount>> Unread(MarketUser user, AggregateStore<Notification> store, CancellationToken ct) =>
        TypedResults.Ok(new NotificationUnreadCount(await UnreadAsync(store, user, ct)));

    private static async Task<OkWithETag<NotificationResponse>> Read(Guid id, MarketUser user, AggregateStore<Notification> store, TimeProvider time, CancellationToken ct)
    {
        var notification = await OwnAsync(store, id, user, ct);
        if (notification.Read) return MarketResults.OkWithETag(NotificationResponse.From(notification), notification.Version);
        notification = await store.ChangeAsync(t => OwnAsync(store, id, user, t), null, _ => { }, n => n.MarkRead(time.GetUtcNow()), ct);
        return MarketResults.OkWithETag(NotificationResponse.From(notification), notification.Version);
    }

    /// <summary>
    /// Marks, batch by batch, the caller's notifications that were unread when the request came; one
    /// arriving meanwhile stays unread. Another request marking the same one first is no error.
    /// </summary>
    private static async Task<Ok<NotificationsMarkedRead>> ReadAll(MarketUser user, AggregateStore<Notification> store, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var filters = new[]
        {
            FieldFilter.Eq("recipientRead", Notification.RecipientRead(user.Subject, read: false)),
            FieldFilter.Lt("createdKey", IndexFormat.Time(now.AddTicks(1))),
        };
        var updated = 0;
        while (true)
        {
            var (batch, _) = await store.QueryAsync(new DocumentQuery { Filters = filters, SortBy = "createdKey", Take = ReadAllBatch }, ct);
            foreach (var notification in batch)
            {
                if (!notification.MarkRead(now)) continue;
                try
                {
                    await store.SaveAsync(notification, ct);
                    updated++;
                }
                catch (ConcurrencyConflictException)
                {
                    // read by another request meanwhile (reading is the only change a notification knows)
                }
            }
            // every notification of the batch has left the unread ones, so the next query finds the rest
            if (batch.Count < ReadAllBatch) break;
        }
        return TypedResults.Ok(new NotificationsMarkedRead(updated));
    }

    private static async Task<long> UnreadAsync(AggregateStore<Notification> store, MarketUser user, CancellationToken ct) =>
        (await store.QueryAsync(new DocumentQuery { Filters = [FieldFilter.Eq("recipientRead", Notification.RecipientRead(user.Subject, read: false))], Take = 1 }, ct)).Total;

    /// <summary>The caller's own notification; another user's is as unknown as an unused id.</summary>
    private static async Task<Notification> OwnAsync(AggregateStore<Notification> store, Guid id, MarketUser user, CancellationToken ct)
    {
        var notification = await store.FindAsync(id.ToString(), ct);
        return notification is not null && notification.IsFor(user.Subject)
            ? notification
            : throw new NotFoundException($"通知 {id} 不存在 / Notification {id} does not exist.");
    }
}
