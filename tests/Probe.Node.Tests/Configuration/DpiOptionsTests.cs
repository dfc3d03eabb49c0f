using Flowhive.Hosting;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Node.Tests.Support;

namespace Flowhive.Probe.Node.Tests.Configuration;

/// <summary>--dpi and the nDPI rule file flags: the default, accepted forms, one-line errors.</summary>
public sealed class DpiOptionsTests : IDisposable
{
    private readonly CommandLineParser _parser = ProbeCommandLine.Create();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private DpiOptions Dpi(params string[] args) => DpiOptions.From(_parser.Parse(["-i", "eth0", .. args]));

    [Fact]
    public void The_micro_engine_unless_asked_otherwise_as_help_says()
    {
        Assert.Equal(DpiEngineKind.Micro, Dpi().Engine);
        Assert.Contains("[default: micro]", _parser.Help(), StringComparison.Ordinal);
        Assert.Equal(DpiEngineKind.Micro, Dpi("--dpi", "micro").Engine);
        Assert.Equal(DpiEngineKind.Ndpi, Dpi("--dpi", "ndpi").Engine);
        Assert.Equal(DpiEngineKind.Ndpi, Dpi("--dpi", "nDPI").Engine);
        Assert.Equal(DpiEngineKind.None, Dpi("--dpi", "none").Engine);
    }

    [Fact]
    public void Rule_files_are_taken_as_full_paths_and_list_protocols_implies_ndpi()
    {
        var protos = _dir.File("protos.txt");
        File.WriteAllText(protos, "tcp:8080@MyApp\n");
        var categories = _dir.File("categories.txt");
        File.WriteAllText(categories, "example.org\t20\n");

        var options = Dpi("--dpi", "ndpi", "-p", protos, "--ndpi-categories", categories);
        Assert.Equal(protos, options.ProtocolsFile);
        Assert.Equal(categories, options.CategoriesFile);

        var listing = DpiOptions.From(_parser.Parse(["--list-protocols", "-p", protos]));
        Assert.Equal(DpiEngineKind.Ndpi, listing.Engine);
        Assert.Equal(protos, listing.ProtocolsFile);
    }

    [Theory]
    [InlineData("--dpi", "libprotoident", "--dpi: 'libprotoident' is not an engine")]
    [InlineData("-p", "/nonexistent/protos.txt", "-p/--ndpi-protocols: no such file '/nonexistent/protos.txt'")]
    [InlineData("--ndpi-categories", "/nonexistent/c.txt", "--ndpi-categories: no such file")]
    public void Bad_values_are_refused_in_one_line(string flag, string value, string message)
    {
        var e = Assert.Throws<CommandLineException>(() => Dpi(flag, value));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Protocol_and_category_rules_need_an_engine_either_engine()
    {
        var protos = _dir.File("protos.txt");
        File.WriteAllText(protos, "tcp:8080@MyApp\n");
        var categories = _dir.File("categories.txt");
        File.WriteAllText(categories, "example.org\t20\n");
        Assert.Equal(protos, Dpi("-p", protos).ProtocolsFile);
        var none = Assert.Throws<CommandLineException>(() => Dpi("--dpi", "none", "-p", protos));
        Assert.Contains("--dpi micro or --dpi ndpi", none.Message, StringComparison.Ordinal);
        Assert.Equal(categories, Dpi("--ndpi-categories", categories).CategoriesFile); // the micro engine reads them too
        var noEngine = Assert.Throws<CommandLineException>(() => Dpi("--dpi", "none", "--ndpi-categories", categories));
        Assert.Contains("--ndpi-categories: category rules need an engine", noEngine.Message, StringComparison.Ordinal);
    }
}
