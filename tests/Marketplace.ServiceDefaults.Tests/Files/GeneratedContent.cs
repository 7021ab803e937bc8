using System.Security.Cryptography;

namespace Marketplace.ServiceDefaults.Tests.Files;

/// <summary>
/// An upload as a client sends it: bytes made up as they are read (never held whole), non-seekable, in reads of
/// uneven size. It can break, stall or call back at a given position.
/// </summary>
internal sealed class GeneratedContent(long length, int seed = 1) : Stream
{
    private readonly List<(long At, Func<Task> Action)> _at = [];
    private ulong _state = (ulong)seed * 0x9E3779B97F4A7C15UL | 1;
    private long _position;

    /// <summary>How many bytes the reader took.</summary>
    public long Delivered => _position;

    /// <summary>The SHA-256 of every byte the stream will yield (lower-case hex), computed without reading this stream.</summary>
    public string ExpectedSha256
    {
        get
        {
            using var again = new GeneratedContent(length, seed);
            return Convert.ToHexStringLower(SHA256.HashData(again));
        }
    }

    /// <summary>The whole content, for the tests that compare bytes (small files only).</summary>
    public static byte[] Bytes(long length, int seed = 1)
    {
        using var copy = new GeneratedContent(length, seed);
        var bytes = new byte[length];
        copy.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Runs <paramref name="action"/> once the reader asks for the bytes after <paramref name="position"/>.</summary>
    public GeneratedContent At(long position, Func<Task> action)
    {
        _at.Add((position, action));
        return this;
    }

    public GeneratedContent At(long position, Action action) => At(position, () => { action(); return Task.CompletedTask; });

    /// <summary>Breaks like a dropped connection once <paramref name="position"/> bytes went out.</summary>
    public GeneratedContent BreaksAt(long position) =>
        At(position, () => throw new IOException("The client went away (connection reset)."));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        foreach (var due in _at.Where(a => a.At <= _position).ToList())
        {
            _at.Remove(due);
            due.Action().GetAwaiter().GetResult();
        }
        return Fill(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        foreach (var due in _at.Where(a => a.At <= _position).ToList())
        {
            _at.Remove(due);
            await due.Action();
        }
        cancellationToken.ThrowIfCancellationRequested();
        await Task.Yield(); // a network read: lets another upload run in between
        return Fill(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Fill(Span<byte> buffer)
    {
        // uneven reads, as a socket gives them, and never across a position an action waits for
        var count = (int)Math.Min(Math.Min(buffer.Length, 7_000 + (int)(_position % 5_000)), length - _position);
        foreach (var (at, _) in _at) if (at > _position) count = (int)Math.Min(count, at - _position);
        for (var i = 0; i < count; i++)
        {
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            buffer[i] = (byte)_state;
        }
        _position += count;
        return count;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
