using Marketplace.Contracts;
using Marketplace.Contracts.Registration;
using Marketplace.Notifications.Inbox;
using MassTransit;

namespace Marketplace.Notifications.Events;

/// <summary>Contract registration (技术合同认定登记): the point's registrars hear of submissions, the applicant of every decision.</summary>
internal sealed class RegistrationNotices(Notifier notifier) :
    IConsumer<ApplicationSubmitted>, IConsumer<ContractRegistered>, IConsumer<ApplicationReturned>, IConsumer<ContractRefused>, IConsumer<RegistrationRevoked>,
    IConsumer<WorkingCalendarMissing>
{
    /// <summary>The admins keep the reference data: they are asked to load the year's holiday notice (the event comes once per year).</summary>
    public async Task Consume(ConsumeContext<WorkingCalendarMissing> context)
    {
        var e = context.Message;
        var notice = new Notice(
            $"请载入 {e.Year} 年节假日安排",
            $"有登记审查期限（自 {e.DeadlineFrom:yyyy-MM-dd} 起算）跨入 {e.Year} 年，但该年的国务院办公厅节假日安排通知尚未载入，期限暂按周一至周五计算。请通过工作日历接口（PUT /api/working-calendar/{e.Year}）载入该年的节假日和调休工作日。",
            "/admin");
        await notifier.NotifyAsync(context, NotificationKind.WorkingCalendarMissing, await notifier.RoleAsync(Roles.Admin, notice, context.CancellationToken));
    }

    public async Task Consume(ConsumeContext<ApplicationSubmitted> context)
    {
        var e = context.Message;
        var applicant = await notifier.Directory.OrganisationNameAsync(e.ApplicantOrg, context.CancellationToken) ?? "申请方";
        var notice = new Notice(
            $"新的技术合同登记申请：“{Wording.Quote(e.ContractName, 60)}”",
            $"{applicant}提交了技术合同认定登记申请，请在登记队列中审查。",
            "/registrar/queue");
        await notifier.NotifyAsync(context, NotificationKind.ApplicationSubmitted,
            await notifier.RegistrarsAsync(e.RegistrationPoint, notice, context.CancellationToken));
    }

    public async Task Consume(ConsumeContext<ContractRegistered> context)
    {
        var e = context.Message;
        var notice = new Notice(
            "您的技术合同已认定登记",
            $"登记号 {e.RegistrationNumber}，成交额 {Wording.Yuan(e.ContractAmount)}，技术交易额 {Wording.Yuan(e.TechnologyTransactionAmount)}。可在合同详情中下载登记证明。",
            Link(e.ContractId));
        await notifier.NotifyAsync(context, NotificationKind.ApplicationRegistered,
            await notifier.OrganisationsAsync(notice, context.CancellationToken, e.ApplicantOrg));
    }

    public async Task Consume(ConsumeContext<ApplicationReturned> context)
    {
        var e = context.Message;
        var notice = new Notice(
            $"技术合同“{Wording.Quote(e.ContractName, 60)}”被退回补正",
            $"登记员意见：{Wording.Sentence(Wording.Quote(e.Note))}请补正后重新提交。",
            Link(e.ContractId));
        await notifier.NotifyAsync(context, NotificationKind.ApplicationReturned,
            await notifier.OrganisationsAsync(notice, context.CancellationToken, e.ApplicantOrg));
    }

    /// <summary>Events of releases before the applicant was named go to nobody: there is no one to tell.</summary>
    public async Task Consume(ConsumeContext<ContractRefused> context)
    {
        var e = context.Message;
        var reasons = string.Join("；", e.Reasons.Select(r => Wording.Quote(r, 80)).Append(e.Note is { Length: > 0 } note ? Wording.Quote(note, 120) : null).OfType<string>());
        var notice = new Notice(
            "您的技术合同不予登记",
            reasons.Length > 0 ? $"登记员决定不予登记，原因：{Wording.Sentence(reasons)}" : "登记员决定不予登记，详情请查看合同。",
            Link(e.ContractId));
        await notifier.NotifyAsync(context, NotificationKind.ApplicationRefused,
            await notifier.OrganisationsAsync(notice, context.CancellationToken, e.ApplicantOrg));
    }

    public async Task Consume(ConsumeContext<RegistrationRevoked> context)
    {
        var e = context.Message;
        var notice = new Notice(
            "您的技术合同登记已被撤销",
            $"登记号 {e.RegistrationNumber} 的认定登记已撤销，原因：{Wording.Sentence(Wording.Quote(e.Reason))}",
            Link(e.ContractId));
        await notifier.NotifyAsync(context, NotificationKind.ApplicationRevoked,
            await notifier.OrganisationsAsync(notice, context.CancellationToken, e.ApplicantOrg));
    }

    private static string Link(Guid contractId) => $"/contracts/{contractId}";
}
