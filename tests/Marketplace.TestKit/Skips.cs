namespace Marketplace.TestKit;

/// <summary>Runs only when MARKETPLACE_TEST_MONGO holds a MongoDB connection string; otherwise reported as skipped.</summary>
public sealed class MongoFactAttribute : FactAttribute
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("MARKETPLACE_TEST_MONGO") is { Length: > 0 } s ? s : null;

    public MongoFactAttribute()
    {
        if (ConnectionString is null) Skip = "No MongoDB server: set MARKETPLACE_TEST_MONGO to a connection string to run the MongoDB adapter's conformance tests.";
    }
}

/// <summary>Runs only when MARKETPLACE_TEST_RABBITMQ holds an amqp:// URI (./test.sh starts RabbitMQ and sets it).</summary>
public sealed class RabbitFactAttribute : FactAttribute
{
    public static string? Uri => Environment.GetEnvironmentVariable("MARKETPLACE_TEST_RABBITMQ") is { Length: > 0 } s ? s : null;

    public RabbitFactAttribute()
    {
        if (Uri is null) Skip = "No RabbitMQ: ./test.sh starts one and sets MARKETPLACE_TEST_RABBITMQ.";
    }
}
