using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Notifications.Inbox;
using MassTransit;

namespace Marketplace.Notifications.Events;

/// <summary>What the listing service's reviews and challenges tell the organisations concerned.</summary>
internal sealed class ListingNotices(Notifier notifier) :
    IConsumer<ListingPublished>, IConsumer<ListingRejected>, IConsumer<ProposalSubmitted>, IConsumer<ChallengeAwarded>
{
    public async Task Consume(ConsumeContext<ListingPublished> context)
    {
        var listing = context.Message.Listing;
        var what = Wording.Listing(listing.Kind);
        var notice = new Notice(
            $"您的{what}“{Wording.Quote(listing.Title, 60)}”已审核通过并发布",
            $"运营人员已审核通过您的{what}，现已在大市场公开展示，其他机构可以查看并表达对接意向。",
            $"/listings/{listing.Id}");
        await notifier.NotifyAsync(context, NotificationKind.ListingApproved, await notifier.OrganisationsAsync(notice, context.CancellationToken, listing.OwnerOrg));
    }

    public async Task Consume(ConsumeContext<ListingRejected> context)
    {
        var rejected = context.Message;
        var notice = new Notice(
            $"您的“{Wording.Quote(rejected.Title, 60)}”未通过审核",
            $"审核意见：{Wording.Sentence(Wording.Quote(rejected.Reason))}请修改后重新提交审核。",
            $"/my/listings/{rejected.ListingId}/edit");
        await notifier.NotifyAsync(context, NotificationKind.ListingRejected, await notifier.OrganisationsAsync(notice, context.CancellationToken, rejected.OwnerOrg));
    }

    public async Task Consume(ConsumeContext<ProposalSubmitted> context)
    {
        var proposal = context.Message;
        var proposer = proposal.ProposerOrgName ?? await notifier.Directory.OrganisationNameAsync(proposal.ProposerOrg, context.CancellationToken) ?? "一家机构";
        var notice = new Notice(
            $"您的榜单“{Wording.Quote(proposal.Title, 60)}”收到新的揭榜方案",
            $"{proposer}提交了揭榜方案，请查看并评审。",
            $"/listings/{proposal.ListingId}");
        await notifier.NotifyAsync(context, NotificationKind.ProposalReceived, await notifier.OrganisationsAsync(notice, context.CancellationToken, proposal.OwnerOrg));
    }

    public async Task Consume(ConsumeContext<ChallengeAwarded> context)
    {
        var awarded = context.Message;
        var owner = await notifier.Directory.OrganisationNameAsync(awarded.OwnerOrg, context.CancellationToken) ?? "榜单发布方";
        var amount = awarded.Amount is { } a ? $"，奖励金额 {Wording.Yuan(a)}" : "";
        var notice = new Notice(
            "恭喜！您的揭榜方案已中榜",
            $"{owner}选定了您的揭榜方案{amount}。揭榜结果将公开公示，请与发布方联系推进合作。",
            $"/listings/{awarded.ListingId}");
        await notifier.NotifyAsync(context, NotificationKind.ChallengeAwarded, await notifier.OrganisationsAsync(notice, context.CancellationToken, awarded.WinnerOrg));
    }
}
