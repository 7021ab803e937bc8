using Marketplace.TestKit;
using Xunit.Abstractions;

namespace Marketplace.Fault.Tests;

/// <summary>Runs where ./test.sh started RabbitMQ: the broker can then be restarted by the suite.</summary>
public sealed class FaultFactAttribute : FactAttribute
{
    public FaultFactAttribute(bool mongo = false)
    {
        if (RabbitFactAttribute.Uri is null || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("RABBITMQ_NODENAME")))
            Skip = "The fault suite needs the RabbitMQ node ./test.sh starts (MARKETPLACE_TEST_RABBITMQ and RABBITMQ_NODENAME).";
        else if (mongo && MongoFactAttribute.ConnectionString is null)
            Skip = "No MongoDB server: set MARKETPLACE_TEST_MONGO to run the fault suite on MongoDB as well.";
    }
}

/// <summary>The replicas of each service share one LiteDB file in shared connection mode.</summary>
public sealed class FaultsOnSharedLiteDb(ITestOutputHelper output)
{
    private readonly FaultScenarios _scenarios = new(SharedStore.LiteDb, output);

    [FaultFact]
    public Task A_RabbitMQ_restart_during_approvals_loses_and_repeats_nothing() => _scenarios.BrokerRestartDuringApprovals();

    [FaultFact]
    public Task A_replica_killed_under_load_fails_no_read_and_loses_nothing() => _scenarios.ReplicaKilledUnderLoad();

    [FaultFact]
    public Task Registrations_racing_on_two_replicas_get_unique_consecutive_numbers() => _scenarios.RegistrationNumberRace();
}

/// <summary>The same scenarios with the replicas on one MongoDB server (MARKETPLACE_TEST_MONGO).</summary>
public sealed class FaultsOnMongoDb(ITestOutputHelper output)
{
    private readonly FaultScenarios _scenarios = new(SharedStore.MongoDb, output);

    [FaultFact(mongo: true)]
    public Task A_RabbitMQ_restart_during_approvals_loses_and_repeats_nothing() => _scenarios.BrokerRestartDuringApprovals();

    [FaultFact(mongo: true)]
    public Task A_replica_killed_under_load_fails_no_read_and_loses_nothing() => _scenarios.ReplicaKilledUnderLoad();

    [FaultFact(mongo: true)]
    public Task Registrations_racing_on_two_replicas_get_unique_consecutive_numbers() => _scenarios.RegistrationNumberRace();
}
