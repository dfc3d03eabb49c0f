using Flowhive.Collector.Configuration;
using Flowhive.Hosting;

namespace Flowhive.Collector.Node.Tests.Configuration;

/// <summary><c>-i</c> values read as ntopng reads them: endpoint lists, bind suffix, labels, one interface per <c>-i</c>.</summary>
public sealed class CollectorInterfaceTests
{
    [Fact]
    public void A_comma_list_is_one_interface_with_an_endpoint_per_element_each_with_its_own_direction()
    {
        var iface = CollectorInterface.Parse(3, "edge@tcp://10.0.0.1:5556,zmq://10.0.0.2:5556, tcp://*:5557c,ipc:///tmp/fh.sock");
        Assert.Equal((3, "edge", true, null), (iface.IfId, iface.Name, iface.IsZmq, iface.CaptureSource));
        Assert.Equal(
            [new ZmqEndpoint("tcp://10.0.0.1:5556", false), new ZmqEndpoint("tcp://10.0.0.2:5556", false), new ZmqEndpoint("tcp://*:5557", true),
                new ZmqEndpoint("ipc:///tmp/fh.sock", false)],
            iface.Endpoints);
    }

    [Fact]
    public void A_bind_suffix_applies_to_its_own_element_only()
    {
        // ntopng never resets is_collector inside its loop, so it would bind the second endpoint too; that quirk would
        // make "bind here, connect there" impossible, so Flowhive reads each element on its own.
        var iface = CollectorInterface.Parse(0, "tcp://*:5556c,tcp://10.0.0.1:5557");
        Assert.Equal([true, false], iface.Endpoints.Select(e => e.Bind));
    }

    [Fact]
    public void Without_a_label_the_whole_value_names_the_interface()
    {
        Assert.Equal("tcp://10.0.0.1:5556", CollectorInterface.Parse(0, "tcp://10.0.0.1:5556").Name);
    }

    [Fact]
    public void Anything_that_is_not_an_endpoint_is_a_capture_source()
    {
        var iface = CollectorInterface.Parse(1, "/data/trace.pcap");
        Assert.False(iface.IsZmq);
        Assert.Equal("/data/trace.pcap", iface.CaptureSource);
    }

    [Theory]
    [InlineData("tcp://*:5556")]
    [InlineData("tcp://10.0.0.1")]
    [InlineData("tcp://10.0.0.1:0")]
    [InlineData("tcp://10.0.0.1:70000")]
    [InlineData("tcp://10.0.0.1:5556,udp://10.0.0.1:5556")]
    [InlineData("ipc://")]
    [InlineData("label@tcp://")]
    [InlineData(" ")]
    public void Bad_values_are_refused_with_the_value_named(string value)
    {
        var error = Assert.Throws<CommandLineException>(() => CollectorInterface.Parse(0, value));
        Assert.StartsWith("-i", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_dash_i_is_its_own_interface_numbered_in_order()
    {
        var options = CollectorOptions.From(CollectorCommandLine.Create().Parse(
            ["-i", "a@tcp://10.0.0.1:5556,tcp://10.0.0.2:5556", "-i", "tcp://*:5557c", "-i", "b@tcp://10.0.0.3:5556", "-d", "/tmp"]));
        Assert.Equal([(0, "a", 2), (1, "tcp://*:5557c", 1), (2, "b", 1)], options.Interfaces.Select(i => (i.IfId, i.Name, i.Endpoints.Count)));
    }
}
