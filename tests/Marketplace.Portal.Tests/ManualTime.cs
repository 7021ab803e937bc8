namespace Marketplace.Portal.Tests;

/// <summary>A clock the test moves: timers fire when it is advanced past them, and say when they were disposed.</summary>
public sealed class ManualTime : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<Timer> _timers = [];
    private DateTimeOffset _now = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    /// <summary>The timers made so far.</summary>
    public IReadOnlyList<Timer> Timers
    {
        get { lock (_gate) return [.. _timers]; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        lock (_gate) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        List<Timer> due;
        lock (_gate)
        {
            _now += by;
            due = [.. _timers.Where(t => t.Due is { } d && d <= _now)];
            foreach (var t in due) t.Due = t.Period > TimeSpan.Zero ? _now + t.Period : null;
        }
        foreach (var t in due) t.Fire();
    }

    public sealed class Timer(ManualTime time, TimerCallback callback, object? state) : ITimer
    {
        internal DateTimeOffset? Due { get; set; }
        internal TimeSpan Period { get; private set; }
        public bool Disposed { get; private set; }

        internal void Fire()
        {
            if (!Disposed) callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (time._gate)
            {
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : time._now + dueTime;
            }
            return !Disposed;
        }

        public void Dispose()
        {
            lock (time._gate) (Disposed, Due) = (true, null);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
