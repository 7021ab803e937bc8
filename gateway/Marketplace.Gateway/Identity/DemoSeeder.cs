using Marketplace.Broker;
using Marketplace.Contracts;
using Marketplace.Portal;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Gateway.Identity;

/// <summary>
/// Seeds the demo organisations and one demo account per role (embedded mode, or when
/// <c>Demo:Seed</c> is true) and prints them. Everything they create is marked as demo data.
/// </summary>
public sealed partial class DemoSeeder(IdentityService identity, IConfiguration configuration, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string DefaultPassword = "Demo!2026";

    private static readonly (string Id, string Name, string Code17, OrganisationKind Kind, string SubMarket)[] Organisations =
    [
        ("demo-university-org", "湖南示范大学（演示）", "12430100MA4L00001", OrganisationKind.University, "changsha"),
        ("demo-enterprise-org", "长沙示范智造有限公司（演示）", "91430100MA4L00002", OrganisationKind.Enterprise, "changsha"),
        ("demo-broker-org", "湘江示范技术转移中心（演示）", "52430100MA4L00003", OrganisationKind.BrokerAgency, "changsha"),
        ("demo-operator-org", "潇湘科技要素大市场长沙分市场（演示）", "12430100MA4L00004", OrganisationKind.MarketOperator, "changsha"),
        ("demo-registrar-org", "长沙市技术合同登记点（演示）", "11430100MA4L00005", OrganisationKind.RegistrationPoint, "changsha"),
        ("demo-tax-org", "长沙市税务局（演示）", "11430100MA4L00006", OrganisationKind.TaxOffice, "changsha"),
        ("demo-platform-org", "潇湘科技要素大市场平台运维（演示）", "91430000MA4L00007", OrganisationKind.Platform, ReferenceData.ProvincialMarket),
        ("demo-broker-org-zz", "株洲示范技术转移服务中心（演示）", "52430200MA4L00008", OrganisationKind.BrokerAgency, "zhuzhou"),
        ("demo-broker-org-xt", "湘潭示范技术转移服务中心（演示）", "52430300MA4L00009", OrganisationKind.BrokerAgency, "xiangtan"),
        ("demo-broker-org-hq", "潇湘示范技术转移总中心（演示）", "52430000MA4L00010", OrganisationKind.BrokerAgency, ReferenceData.ProvincialMarket),
    ];

    private static readonly (string Username, string Name, string Role, string Org)[] Accounts =
    [
        ("demo-university", "演示高校用户", Roles.University, "demo-university-org"),
        ("demo-enterprise", "演示企业用户", Roles.Enterprise, "demo-enterprise-org"),
        ("demo-broker", "演示技术经纪人", Roles.Broker, "demo-broker-org"),
        ("demo-operator", "演示运营人员", Roles.Operator, "demo-operator-org"),
        ("demo-registrar", "演示登记员", Roles.Registrar, "demo-registrar-org"),
        ("demo-tax", "演示税务人员", Roles.Tax, "demo-tax-org"),
        ("demo-admin", "演示管理员", Roles.Admin, "demo-platform-org"),
    ];

    /// <summary>The other demo brokers (a few per sub-market), whose active profiles the broker module seeds.</summary>
    private static IEnumerable<(string Username, string Name, string Role, string Org)> MoreBrokers =>
        BrokerModule.DemoAccounts.Where(b => Accounts.All(a => a.Username != b.Username)).Select(b => (b.Username, b.Name, Roles.Broker, b.OrganisationId));

    public static IReadOnlyList<string> Usernames => Accounts.Select(a => a.Username).ToList();

    /// <summary>The demo accounts of the roles and their password, once seeded (the sign-in page shows them).</summary>
    public DemoAccountsHint? Seeded { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var password = configuration["Demo:Password"] is { Length: > 0 } configured ? configured : DefaultPassword;
        foreach (var (id, name, code17, kind, subMarket) in Organisations)
        {
            try { await identity.CreateOrganisationAsync(id, name, CreditCode.WithCheck(code17), kind, subMarket, true, cancellationToken); }
            catch (DocumentExistsException) { }
        }
        // each account costs a password hash (made or checked): the accounts are seeded side by side, one a core
        var all = Accounts.Concat(MoreBrokers).ToList();
        var isSeeded = new bool[all.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, all.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (i, token) => isSeeded[i] = await SeedAsync(all[i], password, token));
        var seeded = all.Where((_, i) => isSeeded[i]).Select(a => a.Username).ToHashSet();
        var roles = Accounts.Select(a => a.Username).Where(seeded.Contains).ToList();
        Seeded = roles.Count > 0 ? new DemoAccountsHint(roles, password) : null;
        var lines = string.Join(Environment.NewLine, Accounts.Concat(MoreBrokers).Where(a => seeded.Contains(a.Username))
            .Select(a => $"  {a.Username,-16} {a.Role,-11} {a.Name}"));
        LogSeeded(password == DefaultPassword ? DefaultPassword : "(Demo:Password)", lines);
    }

    /// <summary>
    /// One demo account: one seeded at an earlier start only has its password checked (a changed
    /// <c>Demo:Password</c> applies to it now), a new one is created; false for a real account that has a demo username.
    /// </summary>
    private async Task<bool> SeedAsync((string Username, string Name, string Role, string Org) account, string password, CancellationToken ct)
    {
        if (await identity.ResetDemoPasswordAsync(account.Username, password, ct) is { } demo) return demo;
        try
        {
            await identity.CreateAccountAsync(account.Username, account.Name, password, account.Role, account.Org, null, true, ct);
            return true;
        }
        catch (DocumentExistsException)
        {
            // created meanwhile (another replica seeding the same store)
            return await identity.ResetDemoPasswordAsync(account.Username, password, ct) == true;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "演示账户 / Demo accounts (demo data, password {Password}):\n{Accounts}")]
    private partial void LogSeeded(string password, string accounts);
}
