using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.State;

/// <summary>
/// A flow's identity whichever direction a record describes: the two endpoints in a fixed order. NetFlow v5/v9
/// and nProbe's default template export each direction of a connection as its own record; ntopng shows one flow
/// for both, and so does the active-flow list.
/// </summary>
public readonly record struct ConversationKey(IpAddr LowAddr, ushort LowPort, IpAddr HighAddr, ushort HighPort, byte Protocol, ushort Vlan)
{
    public static ConversationKey Of(in ActiveFlow flow)
    {
        var clientFirst = flow.Client.CompareTo(flow.Server) switch
        {
            < 0 => true,
            > 0 => false,
            _ => flow.ClientPort <= flow.ServerPort,
        };
        return clientFirst
            ? new ConversationKey(flow.Client, flow.ClientPort, flow.Server, flow.ServerPort, flow.Protocol, flow.Vlan)
            : new ConversationKey(flow.Server, flow.ServerPort, flow.Client, flow.ClientPort, flow.Protocol, flow.Vlan);
    }
}
