namespace Marketplace.Notifications;

/// <summary><c>Notifications:*</c>: where the portal is (for links in mail), the SMTP server, and how mail is retried.</summary>
internal sealed class NotificationsOptions
{
    /// <summary>The portal's public address; links in mail are absolute ones under it.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:8080";

    public SmtpOptions Smtp { get; set; } = new();

    public MailDeliveryOptions Mail { get; set; } = new();

    /// <summary>Whether mail is sent at all: only with an SMTP host (the inbox works the same without).</summary>
    public bool MailEnabled => !string.IsNullOrWhiteSpace(Smtp.Host);

    /// <summary>The absolute address of a portal path such as <c>/listings/…</c>.</summary>
    public string AbsoluteLink(string path) => PublicBaseUrl.TrimEnd('/') + path;
}

/// <summary><c>Notifications:Smtp:*</c></summary>
internal sealed class SmtpOptions
{
    /// <summary>Empty: no mail is written or sent.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>STARTTLS when the server offers it; false: plain SMTP (a relay on the same host or network).</summary>
    public bool UseTls { get; set; } = true;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "noreply@xiaoxiang-market.cn";
    public string FromName { get; set; } = "潇湘科技要素大市场";

    /// <summary>How long one SMTP exchange (connect, send) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary><c>Notifications:Mail:*</c>: how the sender looks for mail and retries a failing server.</summary>
internal sealed class MailDeliveryOptions
{
    /// <summary>How often the sender looks for due mail when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait after the first failure; it doubles with each further one up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A mail is given up (logged as an error, counted in health) after this many failed attempts...</summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>...or once it has waited this long.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long a replica holds a mail it is sending; a replica that died mid-send lets it go after this.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Mail given up within this window makes the <c>mail</c> health entry degraded.</summary>
    public TimeSpan FailedWindow { get; set; } = TimeSpan.FromDays(1);

    public int BatchSize { get; set; } = 50;
}
