using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Identity;
using Marketplace.Notifications.Mail;
using Marketplace.TestKit;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Notifications.Tests;

/// <summary>A user of the tests: their token and who they are.</summary>
public sealed record User(string Subject, string Organisation, string Role, string Token, string? Email);

/// <summary>
/// The notifications host in-process (MassTransit's test harness, a LiteDB folder of its own), no
/// mail. Its tokens also carry the gateway's <c>demo</c> and <c>name</c> claims, so it signs them itself.
/// </summary>
public class NotificationsApi() : ServiceApi<Program>("notifications")
{
    private readonly ECDsaSecurityKey _key = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "notifications-test" };

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Notifications:PublicBaseUrl", "https://market.example.cn"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:PublicKeyPem", _key.ECDsa.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>A token as the gateway signs it.</summary>
    public string Token(string subject, string role, string organisation, bool demo = false, string subMarket = "changsha")
    {
        var claims = new Dictionary<string, object>
        {
            [MarketClaims.Subject] = subject,
            [MarketClaims.Role] = role,
            [MarketClaims.Organisation] = organisation,
            [MarketClaims.OrganisationName] = organisation + " 名称",
            [MarketClaims.SubMarket] = subMarket,
            [MarketClaims.Name] = "用户 " + subject,
        };
        if (demo) claims[MarketClaims.Demo] = "true";
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "xiaoxiang-market",
            Audience = "xiaoxiang-market",
            IssuedAt = now.AddMinutes(-5),
            NotBefore = now.AddMinutes(-5),
            Expires = now.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>An account as the gateway announces it; waits until the directory has it.</summary>
    public async Task<User> Account(string organisation, string role = Roles.Enterprise, string? subject = null, bool demo = false,
        bool email = true, string subMarket = "changsha", bool active = true, long version = 1)
    {
        subject ??= $"{role}-{Guid.NewGuid():N}"[..24];
        var address = email ? $"{subject}@example.cn" : null;
        await Deliver(new AccountChanged
        {
            Subject = subject, Version = version, DisplayName = "用户 " + subject, Role = role, Organisation = organisation,
            OrganisationName = organisation + " 名称", SubMarket = subMarket, Email = address, IsDemo = demo, Active = active,
            ChangedAt = Clock.Now,
        });
        return new User(subject, organisation, role, Token(subject, role, organisation, demo, subMarket), address);
    }

    /// <summary>A new organisation code, so that tests sharing the host never share an organisation.</summary>
    public static string Org(string name) => $"{name}-{Guid.NewGuid():N}"[..20];

    private DeliveryCounter? _deliveries;

    /// <summary>
    /// Publishes the message with the message id given — as the outbox does when it publishes the
    /// same event again after a crash — and waits until this host has consumed that delivery. (The
    /// harness lists a message id once, however often it is consumed: an observer counts them.)
    /// </summary>
    public async Task Redeliver<T>(T message, Guid messageId) where T : class
    {
        var deliveries = Deliveries();
        var before = deliveries.Count(messageId);
        await Harness.Bus.Publish(message, context => context.MessageId = messageId);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (deliveries.Count(messageId) <= before)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The {typeof(T).Name} {messageId} was not consumed again.");
            await Task.Delay(25);
        }
        Assert.Null(deliveries.Fault(messageId));
    }

    /// <summary>How often each message id has been consumed (and faulted) since the first call.</summary>
    public DeliveryCounter Deliveries()
    {
        lock (this)
        {
            if (_deliveries is null)
            {
                _deliveries = new DeliveryCounter();
                Harness.Bus.ConnectConsumeObserver(_deliveries);
            }
            return _deliveries;
        }
    }

    /// <summary>Every notification of the user (the first page of 100 is all a test makes).</summary>
    public async Task<List<JsonObject>> Inbox(User user)
    {
        var page = await (await Client.Send(HttpMethod.Get, "/api/notifications?pageSize=100", user.Token)).Expect(200);
        return [.. page["items"]!.AsArray().Select(n => n!.AsObject())];
    }

    /// <summary>The user's notifications of one kind.</summary>
    public async Task<List<JsonObject>> Inbox(User user, string kind) => [.. (await Inbox(user)).Where(n => (string)n["kind"]! == kind)];

    public async Task<long> Unread(User user) => (long)(await (await Client.Send(HttpMethod.Get, "/api/notifications/unread", user.Token)).Expect(200))["unread"]!;
}

/// <summary>Counts the deliveries of each message id that this host's consumers handled, and the faults.</summary>
public sealed class DeliveryCounter : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();
    private readonly ConcurrentDictionary<Guid, Exception> _faults = new();

    public int Count(Guid messageId) => _consumed.GetValueOrDefault(messageId);

    public Exception? Fault(Guid messageId) => _faults.GetValueOrDefault(messageId);

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id) _consumed.AddOrUpdate(id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (context.MessageId is { } id)
        {
            _faults[id] = exception;
            _consumed.AddOrUpdate(id, 1, (_, n) => n + 1);
        }
        return Task.CompletedTask;
    }
}

/// <summary>The host with mail: an SMTP server of the test's own, running from the start unless told otherwise.</summary>
public class MailNotificationsApi : NotificationsApi
{
    public MailNotificationsApi() : this(startSmtp: true) { }

    protected MailNotificationsApi(bool startSmtp)
    {
        if (startSmtp) Smtp.Start();
    }

    public SmtpTestServer Smtp { get; } = new();

    protected virtual int MaxAttempts => 20;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        .. base.Settings,
        new("Notifications:Smtp:Host", "127.0.0.1"),
        new("Notifications:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Notifications:Smtp:UseTls", "true"),
        new("Notifications:Smtp:From", "noreply@market.example.cn"),
        new("Notifications:Smtp:FromName", "潇湘科技要素大市场"),
        new("Notifications:Smtp:Timeout", "00:00:05"),
        new("Notifications:Mail:PollInterval", "00:00:00.100"),
        new("Notifications:Mail:RetryDelay", "00:00:10"),
        new("Notifications:Mail:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    internal MailSender Sender => Services.GetRequiredService<MailSender>();

    /// <summary>The outgoing mail of a notification, as stored.</summary>
    internal Task<OutgoingMail?> Outgoing(Guid notificationId) =>
        Services.GetRequiredService<Marketplace.ServiceDefaults.Storage.AggregateStore<OutgoingMail>>().FindAsync(notificationId.ToString());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Smtp.Dispose();
    }
}

/// <summary>The host with mail and an SMTP server that is down when the market starts.</summary>
public sealed class MailOutageApi() : MailNotificationsApi(startSmtp: false);

/// <summary>The host with mail, an SMTP server that never answers, and few attempts before a mail is given up.</summary>
public sealed class MailGivingUpApi() : MailNotificationsApi(startSmtp: false)
{
    protected override int MaxAttempts => 2;
}
