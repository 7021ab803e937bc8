using Marketplace.Contracts;

namespace Marketplace.Portal.Components.Shell;

public sealed record NavItem(string Href, string Label, string Key);

/// <summary>What each user group sees in the navigation: only pages the user may use.</summary>
public static class PortalNavigation
{
    public static IReadOnlyList<NavItem> For(string? role)
    {
        var items = new List<NavItem>
        {
            new("/", "首页", "home"),
            new("/search", "成果与需求", "search"),
            new("/brokers", "技术经纪人", "brokers"),
            new("/verify", "登记查验", "verify"),
        };
        switch (role)
        {
            case Roles.University or Roles.Enterprise:
                items.Add(new("/my/listings", "我的信息", "my-listings"));
                items.Add(new("/interests", "我的对接", "interests"));
                items.Add(new("/contracts", "合同登记", "contracts"));
                break;
            case Roles.Registrar:
                items.Add(new("/registrar/queue", "登记队列", "registrar-queue"));
                break;
            case Roles.Tax:
                items.Add(new("/tax", "税务核验", "tax"));
                break;
            case Roles.Operator:
                items.Add(new("/operator/dashboard", "分市场看板", "dashboard"));
                items.Add(new("/review", "审核队列", "review"));
                items.Add(new("/operator/brokers", "经纪人审核", "broker-review"));
                break;
            case Roles.Admin:
                items.Add(new("/admin", "系统管理", "admin"));
                break;
            case Roles.Broker:
                items.Add(new("/broker/leads", "线索", "leads"));
                items.Add(new("/broker/deals", "交易看板", "deals"));
                items.Add(new("/interests", "我的对接", "interests"));
                items.Add(new("/broker/profile", "我的资料", "profile"));
                items.Add(new("/contracts", "合同登记", "contracts"));
                break;
        }
        return items;
    }

    /// <summary>Who may express interest in a listing (对接) and so has sent and received interests.</summary>
    public static bool MayExpressInterest(string? role) => role is Roles.Enterprise or Roles.University or Roles.Broker;

    public static string RoleName(string? role) => role switch
    {
        Roles.University => "高校院所",
        Roles.Enterprise => "企业",
        Roles.Broker => "技术经纪人",
        Roles.Operator => "市场运营",
        Roles.Registrar => "登记机构",
        Roles.Tax => "税务",
        Roles.Admin => "系统管理",
        _ => "访客",
    };
}
