using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Marketplace.Notifications.Mail;

/// <summary>The <c>mail</c> health entry: degraded (never unready: the inbox works without mail) while mail was given up lately.</summary>
internal sealed class MailHealth(AggregateStore<OutgoingMail> mails, IOptions<NotificationsOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var since = time.GetUtcNow() - options.Value.Mail.FailedWindow;
        var failed = await CountAsync([FieldFilter.Eq("status", WireCode.Of(MailStatus.Failed)), FieldFilter.Gte("failedAt", IndexFormat.Time(since))], cancellationToken);
        var pending = await CountAsync([FieldFilter.Eq("status", WireCode.Of(MailStatus.Pending))], cancellationToken);
        return failed > 0
            ? HealthCheckResult.Degraded($"{failed} mail(s) given up since {since:u}; {pending} waiting")
            : HealthCheckResult.Healthy($"{pending} mail(s) waiting");
    }

    private async Task<long> CountAsync(IReadOnlyList<FieldFilter> filters, CancellationToken ct) =>
        (await mails.QueryAsync(new DocumentQuery { Filters = filters, Take = 1 }, ct)).Total;
}
