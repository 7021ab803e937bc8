using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Notifications.Inbox;
using MassTransit;

namespace Marketplace.Notifications.Events;

/// <summary>Leads and deals: the broker hears of leads offered and moved on, the broker and the parties of each deal's stage.</summary>
internal sealed class BrokerNotices(Notifier notifier) :
    IConsumer<LeadOffered>, IConsumer<LeadMovedOn>, IConsumer<DealStageChanged>, IConsumer<BrokerApproved>
{
    public async Task Consume(ConsumeContext<LeadOffered> context)
    {
        var e = context.Message;
        var until = e.ExpiresAt is { } at ? $"请在 {Wording.ChinaTime(at)}（北京时间）前接受或婉拒。" : "请尽快接受或婉拒。";
        var notice = new Notice($"新线索：“{Wording.Quote(e.Title, 60)}”", $"系统向您推荐了一条供需对接线索，{until}", "/broker/leads");
        await notifier.NotifyAsync(context, NotificationKind.LeadOffered, await notifier.UserAsync(e.BrokerSubject, notice, context.CancellationToken));
    }

    public async Task Consume(ConsumeContext<LeadMovedOn> context)
    {
        var e = context.Message;
        var title = Wording.Quote(e.Title, 60);
        var body = e.Reason == "expired"
            ? $"线索“{title}”未在答复时限内处理，已转给其他经纪人。"
            : $"您已婉拒线索“{title}”，它已转给其他经纪人。";
        var notice = new Notice($"线索“{title}”已转出", body, "/broker/leads");
        await notifier.NotifyAsync(context, NotificationKind.LeadMovedOn, await notifier.UserAsync(e.BrokerSubject, notice, context.CancellationToken));
    }

    /// <summary>The broker reads the deal in the broker's workspace, the parties' users in their own.</summary>
    public async Task Consume(ConsumeContext<DealStageChanged> context)
    {
        var e = context.Message;
        var title = Wording.Quote(e.Title ?? "未命名交易", 60);
        var subject = e.From is null ? $"交易“{title}”已开启" : $"交易“{title}”进入“{Wording.Stage(e.To)}”阶段";
        var step = e.From is { } from ? $"阶段由“{Wording.Stage(from)}”变为“{Wording.Stage(e.To)}”。" : $"当前阶段：“{Wording.Stage(e.To)}”。";
        var note = string.IsNullOrWhiteSpace(e.Note) ? "" : "说明：" + Wording.Sentence(Wording.Quote(e.Note, 120));
        var body = step + note;
        var ct = context.CancellationToken;
        var addressees = await notifier.UserAsync(e.BrokerSubject, new Notice(subject, body, $"/broker/deals/{e.DealId}"), ct);
        addressees.AddRange(await notifier.OrganisationsAsync(new Notice(subject, body, $"/deals/{e.DealId}"), ct, [.. e.Parties]));
        await notifier.NotifyAsync(context, NotificationKind.DealStageChanged, addressees, e.ChangedBy);
    }

    public async Task Consume(ConsumeContext<BrokerApproved> context)
    {
        var e = context.Message;
        var notice = new Notice("您的技术经纪人资料已审核通过", "您现在是在册的技术经纪人，可以接收本分市场的供需对接线索了。", "/broker/profile");
        await notifier.NotifyAsync(context, NotificationKind.BrokerApproved, await notifier.UserAsync(e.Subject, notice, context.CancellationToken));
    }
}
