using System.Globalization;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Classification.Ndpi;

namespace Flowhive.Probe.Classification;

/// <summary>
/// <c>--list-protocols</c>: the protocol table of the installed libndpi (plus the protocols file's, when given) as the
/// library reports it at run time, one protocol a line, so that <c>flowhive-probe --list-protocols | grep Skype</c>
/// answers what <c>ntopng -h | grep Skype</c> does.
/// </summary>
public static class ProtocolListing
{
    /// <summary>Writes the table; returns the exit code (1 with the reason on <paramref name="error"/> when nDPI cannot load).</summary>
    public static int Write(DpiOptions options, TextWriter output, TextWriter error)
    {
        var ndpiOptions = new NdpiOptions { ProtocolsFile = options.ProtocolsFile, CategoriesFile = options.CategoriesFile };
        if (!NdpiEngine.TryCreate(ndpiOptions, out var engine, out var reason))
        {
            error.WriteLine($"flowhive-probe: nDPI is not available: {reason}");
            return 1;
        }

        using (engine)
        {
            var width = Math.Max(8, engine.Protocols.Max(p => p.Name.Length));
            output.WriteLine($"nDPI {engine.Version}: {engine.Protocols.Count} protocols");
            output.WriteLine($"{"Id",5}  {"Protocol".PadRight(width)}  Category");
            foreach (var protocol in engine.Protocols)
            {
                output.WriteLine($"{protocol.Id.ToString(CultureInfo.InvariantCulture),5}  {protocol.Name.PadRight(width)}  {protocol.CategoryName}");
            }
        }

        return 0;
    }
}
