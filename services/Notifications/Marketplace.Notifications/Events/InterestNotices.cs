using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Notifications.Inbox;
using MassTransit;

namespace Marketplace.Notifications.Events;

/// <summary>
/// Introductions (对接意向): the side that must act next hears of each step; the user who took the
/// step does not (they know).
/// </summary>
internal sealed class InterestNotices(Notifier notifier) :
    IConsumer<InterestExpressed>, IConsumer<InterestAccepted>, IConsumer<InterestDeclined>, IConsumer<InterestWithdrawn>, IConsumer<InterestMessagePosted>
{
    public async Task Consume(ConsumeContext<InterestExpressed> context)
    {
        var e = context.Message;
        var title = Title(e.Interest);
        var budget = e.Budget is { } b ? $"（预算 {Wording.Yuan(b)}）" : "";
        var notice = new Notice(
            $"{From(e.Interest)}对您的{Wording.Listing(e.Interest.ListingKind)}“{title}”表达了对接意向",
            $"对方希望与您对接{budget}，请查看意向并答复：接受后双方可交换联系方式。",
            Link(e.Interest));
        await notifier.NotifyAsync(context, NotificationKind.InterestReceived,
            await notifier.OrganisationsAsync(notice, context.CancellationToken, e.Interest.ToOrg), e.By);
    }

    public async Task Consume(ConsumeContext<InterestAccepted> context)
    {
        var e = context.Message;
        var notice = new Notice(
            $"您对“{Title(e.Interest)}”的对接意向已被接受",
            $"{To(e.Interest)}接受了您的对接意向，对方的联系方式已向您开放{(e.WithoutBroker ? "，双方将直接洽谈" : "，技术经纪人将协助推进")}。",
            Link(e.Interest));
        await notifier.NotifyAsync(context, NotificationKind.InterestAccepted,
            await notifier.OrganisationsAsync(notice, context.CancellationToken, e.Interest.FromOrg), e.By);
    }

    public async Task Consume(ConsumeContext<InterestDeclined> context)
    {
        var e = context.Message;
        var notice = new Notice(
            $"您对“{Title(e.Interest)}”的对接意向未被接受",
            $"{To(e.Interest)}婉拒了您的对接意向，原因：{Wording.Sentence(Wording.Quote(e.Reason))}",
            Link(e.Interest));
        await notifier.NotifyAsync(context, NotificationKind.InterestDeclined,
            await notifier.OrganisationsAsync(notice, context.CancellationToken, e.Interest.FromOrg), e.By);
    }

    public async Task Consume(ConsumeContext<InterestWithdrawn> context)
    {
        var e = context.Message;
        var notice = new Notice(
            $"{From(e.Interest)}撤回了对“{Title(e.Interest)}”的对接意向",
            "该对接意向已关闭，无需再答复。",
            Link(e.Interest));
        await notifier.NotifyAsync(context, NotificationKind.InterestWithdrawn,
            await notifier.OrganisationsAsync(notice, context.CancellationToken, e.Interest.ToOrg), e.By);
    }

    /// <summary>
    /// A message goes to the other party; a broker's message to both parties; the broker of the
    /// interest's deal hears of the parties' messages.
    /// </summary>
    public async Task Consume(ConsumeContext<InterestMessagePosted> context)
    {
        var e = context.Message;
        var interest = e.Interest;
        var byBroker = (e.BrokerSubject is not null && e.By == e.BrokerSubject)
            || (e.AuthorOrg != interest.FromOrg && e.AuthorOrg != interest.ToOrg);
        var author = byBroker ? "技术经纪人" : e.AuthorOrg == interest.FromOrg ? From(interest) : To(interest);
        var notice = new Notice(
            $"“{Title(interest)}”的对接意向有新留言",
            $"{author}留言：“{Wording.Quote(e.Excerpt, 120)}”",
            Link(interest));
        var ct = context.CancellationToken;
        var addressees = byBroker
            ? await notifier.OrganisationsAsync(notice, ct, interest.FromOrg, interest.ToOrg)
            : await notifier.OrganisationsAsync(notice, ct, e.AuthorOrg == interest.FromOrg ? interest.ToOrg : interest.FromOrg);
        if (!byBroker) addressees.AddRange(await notifier.UserAsync(e.BrokerSubject, notice, ct));
        await notifier.NotifyAsync(context, NotificationKind.InterestMessage, addressees, e.By);
    }

    private static string Title(InterestParties interest) => Wording.Quote(interest.ListingTitle, 60);

    private static string From(InterestParties interest) => interest.FromOrgName ?? "一家机构";

    private static string To(InterestParties interest) => interest.ToOrgName ?? "发布方";

    private static string Link(InterestParties interest) => $"/interests/{interest.InterestId}";
}
