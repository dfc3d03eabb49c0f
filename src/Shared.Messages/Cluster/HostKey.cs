using System.Globalization;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Cluster;

/// <summary>
/// A host as ntopng keys it: IP address and VLAN, on one interface. Its entity id ("ifid|vlan|ip") names
/// the sharded entity that holds the host's state.
/// </summary>
public readonly record struct HostKey(int IfId, ushort Vlan, IpAddr Ip)
{
    public string EntityId => string.Create(CultureInfo.InvariantCulture, $"{IfId}|{Vlan}|{Ip}");

    public static bool TryParseEntityId(string entityId, out HostKey key)
    {
        key = default;
        var parts = entityId.Split('|');
        if (parts.Length != 3 ||
            !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ifId) ||
            !ushort.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var vlan) ||
            !IpAddr.TryParse(parts[2], out var ip))
        {
            return false;
        }

        key = new HostKey(ifId, vlan, ip);
        return true;
    }

    /// <summary>ntopng's host parameter form: "ip" or "ip@vlan".</summary>
    public string NtopngName => Vlan == 0 ? Ip.ToString() : string.Create(CultureInfo.InvariantCulture, $"{Ip}@{Vlan}");

    public override string ToString() => EntityId;
}
