using Marketplace.ServiceDefaults.Hosting;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Marketplace.Notifications.Mail;

/// <summary>
/// Sends the pending mail over SMTP (MailKit), woken when a mail is written and looking every
/// <see cref="MailDeliveryOptions.PollInterval"/> for mail that is due again. Each mail is claimed
/// with a versioned write before it is sent, so of several replicas exactly one sends it. A failing
/// server delays mail and loses none: each failure puts the mail back with a doubling wait, until
/// it is given up after <see cref="MailDeliveryOptions.MaxAttempts"/> attempts or
/// <see cref="MailDeliveryOptions.GiveUpAfter"/> (logged as an error, and the <c>mail</c> health entry is degraded).
/// </summary>
internal sealed partial class MailSender(
    AggregateStore<OutgoingMail> mails,
    MailSignal signal,
    IOptions<NotificationsOptions> options,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<MailSender> logger) : BackgroundService
{
    private readonly string _owner = ServiceInstance.Id(configuration) + "/" + Guid.NewGuid().ToString("N")[..8];

    private MailDeliveryOptions Delivery => options.Value.Mail;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var more = await SendDueAsync(stoppingToken) >= Delivery.BatchSize;
                if (!more) await signal.WaitAsync(Delivery.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPassFailed(e);
                try { await Task.Delay(Delivery.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>One pass: every mail that is due, claimed and sent one by one over one connection.</summary>
    /// <returns>how many due mails the pass looked at.</returns>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (due, _) = await mails.QueryAsync(new DocumentQuery
        {
            Filters = [FieldFilter.Eq("status", WireCode.Of(MailStatus.Pending)), FieldFilter.Lt("dueAt", IndexFormat.Time(now.AddTicks(1)))],
            SortBy = "dueAt",
            Take = Delivery.BatchSize, CountTotal = false,
        }, ct);
        if (due.Count == 0) return 0;
        using var smtp = new SmtpClient { Timeout = (int)options.Value.Smtp.Timeout.TotalMilliseconds };
        try
        {
            foreach (var mail in due)
            {
                if (!await ClaimAsync(mail, ct)) continue;
                try
                {
                    await EnsureConnectedAsync(smtp, ct);
                    await smtp.SendAsync(Message(mail), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    await FailedAsync(mail, e, ct);
                    if (!smtp.IsConnected) break; // the server is away: the rest wait for the next pass
                    continue;
                }
                mail.Sent(time.GetUtcNow());
                await SaveAfterSendAsync(mail, ct);
                LogSent(mail.Id, mail.Recipient, mail.Attempts);
            }
        }
        finally
        {
            if (smtp.IsConnected)
            {
                try { await smtp.DisconnectAsync(quit: true, CancellationToken.None); }
                catch (Exception e) when (e is not OperationCanceledException) { LogDisconnectFailed(e); }
            }
        }
        return due.Count;
    }

    /// <returns>whether this replica holds the mail now (false: another took it or it was sent meanwhile).</returns>
    private async Task<bool> ClaimAsync(OutgoingMail mail, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!mail.IsDue(now)) return false;
        mail.Claim(_owner, now, Delivery.ClaimTimeout);
        try
        {
            await mails.SaveAsync(mail, ct);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    private async Task FailedAsync(OutgoingMail mail, Exception error, CancellationToken ct)
    {
        var reason = error is SmtpCommandException smtp ? $"SMTP {(int)smtp.StatusCode}: {smtp.Message}" : $"{error.GetType().Name}: {error.Message}";
        var gaveUp = mail.Failed(reason, time.GetUtcNow(), Delivery);
        if (gaveUp) LogGaveUp(error, mail.Id, mail.Recipient, mail.Attempts);
        else LogRetry(mail.Id, mail.Attempts, mail.DueAt, error.Message);
        try
        {
            await mails.SaveAsync(mail, ct);
        }
        catch (ConcurrencyConflictException)
        {
            // only the claim's holder writes a claimed mail; its claim ran out and another took it
        }
    }

    /// <summary>
    /// The mail went out: record it. Only a claim that ran out lets another replica write the mail
    /// meanwhile; the record of the send wins over that replica's claim, which then finds it sent.
    /// </summary>
    private async Task SaveAfterSendAsync(OutgoingMail mail, CancellationToken ct)
    {
        try
        {
            await mails.SaveAsync(mail, ct);
        }
        catch (ConcurrencyConflictException)
        {
            var fresh = await mails.FindAsync(mail.StoreId, ct);
            if (fresh is null || fresh.Status == MailStatus.Sent) return;
            fresh.Sent(time.GetUtcNow());
            await mails.SaveAsync(fresh, ct);
        }
    }

    private async Task EnsureConnectedAsync(SmtpClient smtp, CancellationToken ct)
    {
        if (smtp.IsConnected) return;
        var server = options.Value.Smtp;
        await smtp.ConnectAsync(server.Host!, server.Port, server.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(server.Username)) await smtp.AuthenticateAsync(server.Username, server.Password ?? "", ct);
    }

    private MimeMessage Message(OutgoingMail mail)
    {
        var server = options.Value.Smtp;
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            // the mail's own id: a server or client that sees it twice can tell
            MessageId = $"{mail.Id:N}@{MessageIdDomain(server.From)}",
            Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody(),
        };
        message.From.Add(new MailboxAddress(server.FromName, server.From));
        message.To.Add(new MailboxAddress(mail.ToName ?? "", mail.To));
        return message;
    }

    private static string MessageIdDomain(string from) => from.LastIndexOf('@') is var at and >= 0 ? from[(at + 1)..] : "xiaoxiang-market.cn";

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {MailId} to {Recipient} sent (attempt {Attempt})")]
    private partial void LogSent(Guid mailId, string recipient, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MailId} failed (attempt {Attempt}); next try at {DueAt}: {Reason}")]
    private partial void LogRetry(Guid mailId, int attempt, DateTimeOffset dueAt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MailId} to {Recipient} given up after {Attempts} attempt(s)")]
    private partial void LogGaveUp(Exception e, Guid mailId, string recipient, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A mail pass failed; the next one tries again")]
    private partial void LogPassFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not say goodbye to the SMTP server")]
    private partial void LogDisconnectFailed(Exception e);
}
