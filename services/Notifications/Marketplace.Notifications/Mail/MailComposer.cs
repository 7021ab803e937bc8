using System.Net;
using Marketplace.Notifications.Inbox;

namespace Marketplace.Notifications.Mail;

/// <summary>The mail of a notification: the title as its subject, a plain-text and an HTML body in Chinese with the absolute link.</summary>
internal static class MailComposer
{
    public const string SubjectPrefix = "【潇湘科技要素大市场】";
    private const string Market = "潇湘科技要素大市场";

    public static OutgoingMail Compose(Notification notification, string to, string? name, NotificationsOptions options, DateTimeOffset now)
    {
        var link = options.AbsoluteLink(notification.Link);
        var settings = options.AbsoluteLink("/notifications");
        var greeting = string.IsNullOrWhiteSpace(name) ? "您好：" : $"{name}，您好：";
        var text = $"""
            {greeting}

            {notification.Title}
            {notification.Body}

            查看详情：{link}

            —— {Market}
            本邮件由系统自动发送，请勿直接回复。如不想再收到此类邮件，请在通知设置中关闭：{settings}
            """;
        var html = $"""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>{Html(notification.Title)}</title></head>
            <body style="font-family: 'PingFang SC', 'Microsoft YaHei', sans-serif; color: #1f1f1f; line-height: 1.6;">
            <p>{Html(greeting)}</p>
            <h2 style="font-size: 18px;">{Html(notification.Title)}</h2>
            <p>{Html(notification.Body)}</p>
            <p><a href="{Html(link)}" style="color: #1677ff;">查看详情</a></p>
            <p style="color: #8c8c8c; font-size: 12px;">—— {Market}<br>本邮件由系统自动发送，请勿直接回复。如不想再收到此类邮件，请在<a href="{Html(settings)}">通知设置</a>中关闭。</p>
            </body></html>
            """;
        return OutgoingMail.Write(notification.Id, notification.Recipient, to, name, SubjectPrefix + notification.Title, text, html, now);
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
