using Marketplace.Broker.Brokers;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Broker.Demo;

/// <summary>A demo broker: the account the gateway seeds and the active profile this module seeds for it.</summary>
internal sealed record DemoBroker(string Username, string Name, string OrgId, string OrgName, string SubMarket, BrokerLevel Level,
    string CertificateNumber, IReadOnlyList<string> Fields, string Phone);

/// <summary>
/// Demo brokers, a few per sub-market across the fields; <c>demo-broker</c> is one of them. The
/// gateway's demo seeder creates their accounts from this list (through
/// <see cref="BrokerModule.DemoAccounts"/>), the broker module their (active) profiles, so both
/// sides agree on who they are.
/// </summary>
internal static class BrokerDemoData
{
    public static readonly IReadOnlyList<DemoBroker> Brokers =
    [
        new("demo-broker", "演示技术经纪人", "demo-broker-org", "湘江示范技术转移中心（演示）", "changsha", BrokerLevel.Senior,
            "DEMO-CS-0001", ["materials", "equipment", "info-tech", "new-energy", "agriculture"], "0731-88880001"),
        new("demo-broker-cs2", "演示经纪人·岳麓", "demo-broker-org", "湘江示范技术转移中心（演示）", "changsha", BrokerLevel.Intermediate,
            "DEMO-CS-0002", ["biomed", "environment", "tech-services", "transport", "aerospace"], "0731-88880002"),
        new("demo-broker-zz", "演示经纪人·株洲", "demo-broker-org-zz", "株洲示范技术转移服务中心（演示）", "zhuzhou", BrokerLevel.Senior,
            "DEMO-ZZ-0001", ["transport", "aerospace", "new-energy", "equipment"], "0731-22880001"),
        new("demo-broker-zz2", "演示经纪人·荷塘", "demo-broker-org-zz", "株洲示范技术转移服务中心（演示）", "zhuzhou", BrokerLevel.Junior,
            "DEMO-ZZ-0002", ["materials", "info-tech", "environment", "biomed", "agriculture", "tech-services"], "0731-22880002"),
        new("demo-broker-xt", "演示经纪人·湘潭", "demo-broker-org-xt", "湘潭示范技术转移服务中心（演示）", "xiangtan", BrokerLevel.Intermediate,
            "DEMO-XT-0001", ["equipment", "materials", "new-energy", "info-tech"], "0731-58880001"),
        new("demo-broker-xt2", "演示经纪人·雨湖", "demo-broker-org-xt", "湘潭示范技术转移服务中心（演示）", "xiangtan", BrokerLevel.Junior,
            "DEMO-XT-0002", ["agriculture", "biomed", "environment", "transport", "aerospace", "tech-services"], "0731-58880002"),
        new("demo-broker-hq", "演示经纪人·省本级", "demo-broker-org-hq", "潇湘示范技术转移总中心（演示）", ReferenceData.ProvincialMarket, BrokerLevel.Senior,
            "DEMO-HQ-0001", ["info-tech", "equipment", "transport", "new-energy", "materials", "agriculture", "environment", "biomed", "aerospace", "tech-services"], "0731-85880001"),
    ];
}

/// <summary>Seeds the demo brokers' profiles, active (embedded mode, or when <c>Demo:Seed</c> is true).</summary>
internal sealed class BrokerDemoSeeder(BrokerService service) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var demo in BrokerDemoData.Brokers)
        {
            var user = new MarketUser(demo.Username, Roles.Broker, demo.OrgId, demo.OrgName, demo.SubMarket, demo.Name);
            var broker = Brokers.Broker.Register(user, demo.SubMarket, new BrokerProfile
            {
                Name = demo.Name,
                Level = demo.Level,
                CertificateNumber = demo.CertificateNumber,
                Fields = demo.Fields,
                Contact = new BrokerContact(demo.Phone, null),
                Introduction = "演示数据：此经纪人为演示账户，不代表真实机构 / Demo data: not a real broker.",
            }, isDemo: true, service.Now);
            broker.Approve(new MarketUser("demo-seeder", Roles.Operator, "demo-operator-org", null, ReferenceData.ProvincialMarket, null), service.Now);
            try { await service.Brokers.InsertAsync(broker, cancellationToken); }
            catch (DocumentExistsException) { }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
