using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Marketplace.Notifications.Tests;

/// <summary>
/// A real SMTP server in the test's process, on 127.0.0.1 and a free port: it can be down (not
/// listening yet), answer every mail with an error, or take mail and keep what it received.
/// </summary>
public sealed class SmtpTestServer : IDisposable
{
    private readonly Store _store = new();
    private CancellationTokenSource? _running;
    private Task? _serving;

    public SmtpTestServer()
    {
        // a port the system has just handed out and taken back, free for this server
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public bool IsRunning => _running is not null;

    /// <summary>Every mail received, in order.</summary>
    public IReadOnlyList<MimeMessage> Received => [.. _store.Messages];

    /// <summary>While true, every mail is answered with a transient error (451) and not kept.</summary>
    public bool Refusing { get => _store.Refusing; set => _store.Refusing = value; }

    public int Refused => _store.RefusedCount;

    public void Start()
    {
        if (_running is not null) return;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        _running = new CancellationTokenSource();
        _serving = new SmtpServer.SmtpServer(options, services).StartAsync(_running.Token);
    }

    /// <summary>The mails received for an address.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. Received.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Waits (up to 15 s) until a mail for <paramref name="address"/> has arrived, and returns it.</summary>
    public async Task<MimeMessage> WaitFor(string address)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (To(address).FirstOrDefault() is { } mail) return mail;
            Assert.True(DateTime.UtcNow < deadline, $"No mail for {address} arrived.");
            await Task.Delay(25);
        }
    }

    /// <summary>Stops listening (it may be disposed more than once).</summary>
    public void Dispose()
    {
        var running = Interlocked.Exchange(ref _running, null);
        if (running is null) return;
        running.Cancel();
        try { _serving?.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        running.Dispose();
    }

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();
        public volatile bool Refusing;
        private int _refused;

        public int RefusedCount => _refused;

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (Refusing)
            {
                Interlocked.Increment(ref _refused);
                return new SmtpResponse((SmtpReplyCode)451, "try again later");
            }
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
