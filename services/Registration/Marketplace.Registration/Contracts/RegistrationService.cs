using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Registration.Contracts;

public sealed class RegistrationService(AggregateStore<ContractApplication> applications, RulesEngine rules, RegistrationNumbers numbers, TimeProvider time)
{
    public AggregateStore<ContractApplication> Applications => applications;
    public RulesEngine Rules => rules;
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<ContractApplication> LoadAsync(Guid id, CancellationToken ct) =>
        await applications.FindAsync(id.ToString(), ct) ?? throw new NotFoundException($"登记申请 {id} 不存在 / Application {id} does not exist.");

    public Task<ContractApplication> ChangeAsync(Guid id, long? expectedVersion, Action<ContractApplication> authorize, Action<ContractApplication> change, CancellationToken ct) =>
        applications.ChangeAsync(t => LoadAsync(id, t), expectedVersion, authorize, a =>
        {
            change(a);
            return Task.CompletedTask;
        }, ct);

    /// <summary>
    /// Checks first (who, state, rules) so that no number is drawn for an application that cannot be
    /// registered; then takes the number drawn for this application (drawing the point's next
    /// one if none was), and registers. Two requests for one application share one number:
    /// the one that registers first keeps it, the other is refused, and the sequence has no gap.
    /// </summary>
    public async Task<ContractApplication> RegisterAsync(Guid id, MarketUser user, long? expectedVersion, string? note, CancellationToken ct)
    {
        var current = await LoadAsync(id, ct);
        ContractEndpoints.EnsureRegistrar(current, user);
        if (expectedVersion is { } expected && expected != current.Version)
            throw new PreconditionFailedException($"申请已被修改（当前版本 {current.Version}），请刷新后重试 / It is at version {current.Version}, not {expected}.");
        if (current.Status != ApplicationStatus.Submitted)
            throw new ConflictException($"当前状态不能登记 / An application in this status cannot be registered.");
        var check = rules.Evaluate(current.Facts, current.ReceivedOn!.Value);
        if (!check.Registrable)
            throw new ConflictException("规则检查发现不予登记的情形，请退回补正或不予登记 / The rules found reasons not to register; return or refuse it.");
        var year = Now.ToOffset(ContractApplication.ChinaTime).Year;
        var number = await numbers.NextAsync(current.RegistrationPoint, year, id.ToString(), ct);
        return await ChangeAsync(id, expectedVersion, a => ContractEndpoints.EnsureRegistrar(a, user), a => a.Register(rules, number, user, note, Now), ct);
    }
}
