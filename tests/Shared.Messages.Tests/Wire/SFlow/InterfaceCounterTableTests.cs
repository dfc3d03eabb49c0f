using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.SFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.SFlow;

public sealed class InterfaceCounterTableTests
{
    private static SFlowInterfaceCounters Port(uint ifIndex, ulong inOctets) =>
        new(IpAddr.Parse("192.0.2.1"), ifIndex, 6, 1_000_000_000, inOctets, 1, 0, 0, 2, 1, 0, 0, 1000);

    [Fact]
    public void A_full_table_refuses_new_interfaces_and_keeps_updating_known_ones()
    {
        var table = new InterfaceCounterTable();
        for (uint i = 0; i < InterfaceCounterTable.MaxInterfaces; i++)
        {
            Assert.True(table.Keep(Port(i, 1)));
        }

        Assert.False(table.Keep(Port(InterfaceCounterTable.MaxInterfaces, 1)));
        Assert.True(table.Keep(Port(7, 99)));

        var snapshot = table.Snapshot();
        Assert.Equal(InterfaceCounterTable.MaxInterfaces, snapshot.Count);
        Assert.Equal(99ul, snapshot.Single(c => c.IfIndex == 7).InOctets);
        Assert.DoesNotContain(snapshot, c => c.IfIndex == InterfaceCounterTable.MaxInterfaces);
    }
}
