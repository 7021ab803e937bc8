namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>Wakes the outbox dispatcher as soon as a save has written new events.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        try { _semaphore.Release(); }
        catch (SemaphoreFullException) { /* already signalled */ }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _semaphore.WaitAsync(timeout, ct);
}

/// <summary>A collection whose documents carry outbox messages, in the store registered under <paramref name="StoreKey"/>.</summary>
public sealed record OutboxSource(string StoreKey, string Collection);
