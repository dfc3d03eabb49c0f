using System.Runtime.InteropServices;

namespace Flowhive.Probe.Engine.Capture;

/// <summary>
/// The few libpcap and libc calls SharpPcap does not expose. Needed because with TPACKET_V3 libpcap polls
/// without a timeout and only wakes when the kernel retires a block, which never happens on an idle link:
/// a blocking read could then never be stopped. We switch the handle to non-blocking mode and wait with our
/// own bounded poll() instead.
/// </summary>
internal static partial class PcapNative
{
    private const string LibPcap = "libpcap.so.0.8";
    private const short PollIn = 0x001;

    [LibraryImport(LibPcap, EntryPoint = "pcap_setnonblock", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNonBlock(IntPtr pcap, int nonBlock, [MarshalAs(UnmanagedType.LPArray)] byte[] errorBuffer);

    [LibraryImport(LibPcap, EntryPoint = "pcap_get_selectable_fd")]
    private static partial int GetSelectableFd(IntPtr pcap);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMs);

    /// <summary>Makes reads return at once when nothing is buffered, and returns the descriptor to wait on.</summary>
    public static int MakeNonBlocking(IntPtr pcap)
    {
        var error = new byte[256];
        if (SetNonBlock(pcap, 1, error) != 0)
        {
            throw new CaptureException($"cannot switch the capture to non-blocking mode: {System.Text.Encoding.UTF8.GetString(error).TrimEnd('\0')}");
        }

        var fd = GetSelectableFd(pcap);
        return fd >= 0 ? fd : throw new CaptureException("the capture has no selectable file descriptor");
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for packets; false on timeout. A signal (SIGTERM arriving to stop the
    /// probe) interrupts poll() with EINTR: the wait resumes for the time left, or the last packets would be lost.
    /// </summary>
    public static bool WaitReadable(int fd, int timeoutMs)
    {
        const int EINTR = 4;
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            var pollFd = new PollFd { Fd = fd, Events = PollIn };
            var remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
            var result = Poll(ref pollFd, 1, remaining);
            if (result >= 0)
            {
                return result > 0;
            }

            if (Marshal.GetLastPInvokeError() != EINTR || remaining == 0)
            {
                return false;
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
