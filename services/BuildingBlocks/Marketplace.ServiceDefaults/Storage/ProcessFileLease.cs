namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// One owner at a time for a file (or folder) that only one writer may have open, within this process: a LiteDB file
/// in direct mode, a search index. A second host started in the same process on the same data folder (a test that
/// restarts the market, a host stopping while the next starts) waits here until the first has closed it, instead of
/// opening it alongside: two LiteDB engines on one file, one checkpointing while the other replays the log, damage it
/// ("ReadFull must read PAGE_SIZE bytes").
/// </summary>
public sealed class ProcessFileLease : IDisposable
{
    private static readonly Dictionary<string, SemaphoreSlim> Owners = new(StringComparer.Ordinal);

    /// <summary>How long a second opener waits for the first to close before it gives up.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private SemaphoreSlim? _owner;

    private ProcessFileLease(SemaphoreSlim owner) => _owner = owner;

    /// <summary>Takes the lease on <paramref name="path"/>, waiting while another owner in this process holds it.</summary>
    /// <exception cref="IOException">Still held by its owner after <paramref name="wait"/>.</exception>
    public static ProcessFileLease Acquire(string path, TimeSpan? wait = null)
    {
        var key = Path.GetFullPath(path);
        SemaphoreSlim owner;
        lock (Owners)
        {
            if (!Owners.TryGetValue(key, out owner!)) Owners[key] = owner = new SemaphoreSlim(1, 1);
        }
        var limit = wait ?? DefaultWait;
        if (!owner.Wait(limit))
            throw new IOException($"{key} is still open in this process: another host on the same data folder has not closed it within {limit.TotalSeconds:0} s.");
        return new ProcessFileLease(owner);
    }

    /// <summary>Hands the file to the next opener waiting for it (once; later calls do nothing).</summary>
    public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
}
