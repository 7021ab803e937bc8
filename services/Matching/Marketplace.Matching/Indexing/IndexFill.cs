using System.Collections.Concurrent;

namespace Marketplace.Matching.Indexing;

/// <summary>
/// A replica that starts with an empty index is not ready until it has applied every snapshot of
/// its start-up request: the listing service ends a replay with the number it published, and the
/// replica counts what it applied (the two can arrive in any order).
/// </summary>
internal sealed class IndexFill
{
    private readonly ConcurrentDictionary<Guid, int> _applied = new();
    private bool _awaiting;
    private Guid? _waitingFor;
    private int? _expected;
    private readonly Lock _gate = new();

    /// <summary>True from <see cref="Awaiting"/> or <see cref="Begin"/> until the request's snapshots are all applied.</summary>
    public bool Filling
    {
        get
        {
            lock (_gate)
            {
                return FillingNow();
            }
        }
    }

    public string Progress
    {
        get
        {
            lock (_gate)
            {
                if (_awaiting) return "waiting for the bus to ask for the snapshots";
                return _waitingFor is { } id ? $"{_applied.GetValueOrDefault(id)} of {(_expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?")} snapshots applied" : "complete";
            }
        }
    }

    /// <summary>How much of the awaited replay has arrived (snapshots applied, and its end): it moves while the replay comes.</summary>
    public int Arrived
    {
        get
        {
            lock (_gate)
            {
                return _waitingFor is { } id ? _applied.GetValueOrDefault(id) + (_expected is null ? 0 : 1) : 0;
            }
        }
    }

    /// <summary>
    /// The index is empty and its replay not yet asked for (the request waits for the bus): filling already. Before,
    /// an empty replica reported ready until its bus connected, served an empty index, and only then went unready.
    /// </summary>
    public void Awaiting()
    {
        lock (_gate)
        {
            _awaiting = true;
        }
    }

    public void Begin(Guid requestId)
    {
        lock (_gate)
        {
            _awaiting = false;
            _waitingFor = requestId;
            _expected = null;
        }
    }

    /// <returns>Whether the awaited fill is complete with this snapshot (then the index holds the whole market).</returns>
    public bool Applied(Guid requestId)
    {
        _applied.AddOrUpdate(requestId, 1, (_, n) => n + 1);
        return Completes(requestId);
    }

    /// <returns>Whether the awaited fill is complete with this end of its replay.</returns>
    public bool Completed(Guid requestId, int count)
    {
        lock (_gate)
        {
            if (_waitingFor == requestId) _expected = count;
        }
        return Completes(requestId);
    }

    private bool Completes(Guid requestId)
    {
        lock (_gate)
        {
            return _waitingFor == requestId && !FillingNow();
        }
    }

    // under _gate
    private bool FillingNow() => _awaiting || (_waitingFor is { } id && (_expected is not { } expected || _applied.GetValueOrDefault(id) < expected));

    /// <summary>Ends a complete fill and forgets its counts (nothing changes while it is still filling).</summary>
    public void Done()
    {
        lock (_gate)
        {
            // decide once: forgetting the count first would make the fill look incomplete again
            if (_waitingFor is not { } id || FillingNow()) return;
            _waitingFor = null;
            _expected = null;
            _applied.TryRemove(id, out _);
        }
    }
}
