using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Flowhive.EndToEnd.Support;

/// <summary>
/// Sockets that live in a network namespace made with <c>ip netns add</c>, so the test process itself can talk to a
/// node's loopback-only port inside it (an HTTP client through <see cref="HttpHandler"/>). A socket belongs to the
/// namespace of the thread that created it; the socket is made on a short-lived thread that joins the namespace with
/// setns(2), so no thread of the test process is ever left in it.
/// </summary>
public static partial class NamespaceSocket
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>An HTTP handler whose connections are made from inside <paramref name="ns"/>.</summary>
    public static SocketsHttpHandler HttpHandler(string ns) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = Create(ns, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static Socket Create(string ns, SocketType type, ProtocolType protocol)
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = File.OpenHandle(Path.Combine("/var/run/netns", ns));
                if (SetNamespace(target.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {ns} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                // The thread ends right after this, so it is never reused outside the namespace.
                socket = new Socket(AddressFamily.InterNetwork, type, protocol);
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException($"cannot open a socket in network namespace {ns}", error);
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int nstype);
}
