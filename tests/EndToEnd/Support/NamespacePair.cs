using System.Diagnostics;
using System.Text.Json;

namespace Flowhive.EndToEnd.Support;

/// <summary>
/// Two network namespaces made by the test, a probe side and a collector side, joined by a veth pair with a random
/// 10.x.y.0/30 network that exists only inside them. Commands and nodes run in a namespace through
/// <c>ip netns exec</c>; <see cref="Dispose"/> deletes both namespaces (and with them the veth pair and any
/// iptables rules), also after a failed test. Needs root, iproute2 and iptables (scripts/deps.sh test).
/// </summary>
public sealed class NamespacePair : IDisposable
{
    /// <param name="withoutIpv6">
    /// IPv6 off in both namespaces before any link comes up, so they send no router solicitations or duplicate-address
    /// probes of their own over the veth (for tests that capture it and count every packet).
    /// </param>
    /// <param name="mtu">The veth pair's MTU; a replayed capture needs one that fits its largest frame.</param>
    public NamespacePair(bool withoutIpv6 = false, int? mtu = null)
    {
        var tag = Random.Shared.Next(0x100000, 0xFFFFFF).ToString("x6", System.Globalization.CultureInfo.InvariantCulture);
        ProbeNamespace = "fhp-" + tag;
        CollectorNamespace = "fhc-" + tag;
        ProbeLink = "fhv" + tag + "p";
        CollectorLink = "fhv" + tag + "c";
        var net = $"10.{Random.Shared.Next(200, 250)}.{Random.Shared.Next(0, 256)}";
        ProbeAddress = net + ".1";
        CollectorAddress = net + ".2";
        try
        {
            Ip("netns", "add", ProbeNamespace);
            Ip("netns", "add", CollectorNamespace);
            foreach (var ns in withoutIpv6 ? new[] { ProbeNamespace, CollectorNamespace } : [])
            {
                Exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            }

            Ip("link", "add", ProbeLink, "netns", ProbeNamespace, "type", "veth", "peer", "name", CollectorLink, "netns", CollectorNamespace);
            foreach (var (ns, link, address) in new[] { (ProbeNamespace, ProbeLink, ProbeAddress), (CollectorNamespace, CollectorLink, CollectorAddress) })
            {
                Exec(ns, "ip", "addr", "add", address + "/30", "dev", link);
                if (mtu is { } bytes)
                {
                    Exec(ns, "ip", "link", "set", link, "mtu", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                Exec(ns, "ip", "link", "set", link, "up");
                Exec(ns, "ip", "link", "set", "lo", "up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string ProbeNamespace { get; }

    public string CollectorNamespace { get; }

    public string ProbeAddress { get; }

    public string CollectorAddress { get; }

    /// <summary>The probe namespace's end of the veth pair.</summary>
    public string ProbeLink { get; }

    /// <summary>The collector namespace's end of the veth pair.</summary>
    public string CollectorLink { get; }

    /// <summary>A firewall that lets nothing connect in: TCP SYNs arriving over the veth are dropped, replies still pass.</summary>
    public void DropNewInboundConnections(bool intoCollector)
    {
        var (ns, link) = intoCollector ? (CollectorNamespace, CollectorLink) : (ProbeNamespace, ProbeLink);
        Exec(ns, "iptables", "-A", "INPUT", "-i", link, "-p", "tcp", "--syn", "-j", "DROP");
    }

    public NodeProcess Probe(params string[] args) => NodeProcess.InNamespace(ProbeNamespace, Repo.Probe, args, "probe");

    public NodeProcess Collector(params string[] args) => NodeProcess.InNamespace(CollectorNamespace, Repo.Collector, args, "collector");

    /// <summary>GET on the collector's HTTP port from inside its namespace (curl); null while it does not answer.</summary>
    public JsonElement? CollectorGet(int port, string path)
    {
        var (code, output) = Run("ip", "netns", "exec", CollectorNamespace, "curl", "-sf", "--max-time", "5", $"http://127.0.0.1:{port}{path}");
        return code == 0 && output.Length > 0 ? JsonDocument.Parse(output).RootElement.Clone() : null;
    }

    public void Dispose()
    {
        // Deleting a namespace removes its end of the veth pair, which removes the other end; iptables rules go with it.
        Run("ip", "netns", "del", ProbeNamespace);
        Run("ip", "netns", "del", CollectorNamespace);
    }

    private static void Ip(params string[] args) => Check("ip", args);

    private static void Exec(string ns, params string[] command) => Check("ip", ["netns", "exec", ns, .. command]);

    private static void Check(string file, string[] args)
    {
        var (code, output) = Run(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {output}");
        }
    }

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
