using Flowhive.Shared.Wire;
using NetMQ;

namespace Flowhive.Collector.Ingest;

/// <summary>
/// The collector's CURVE key pair, as ntopng keeps it: <c>zmq-key.pub</c> and <c>zmq-key.priv</c> (40 Z85
/// characters each) in the data directory, generated on first use; or the secret given on the command line
/// (<c>--zmq-encryption-key-priv</c>). The collector is always the CURVE server, whether it binds or connects.
/// </summary>
public sealed class ZmqKeyPair
{
    public const string PublicKeyFile = "zmq-key.pub";
    public const string SecretKeyFile = "zmq-key.priv";

    private ZmqKeyPair(NetMQCertificate certificate, string source)
    {
        Certificate = certificate;
        Source = source;
    }

    public NetMQCertificate Certificate { get; }

    /// <summary>Where the keys came from, for the start-up log.</summary>
    public string Source { get; }

    public string PublicKeyZ85 => Certificate.PublicKeyZ85;

    /// <summary>The form ntopng's GUI shows (hex of the Z85 text); nProbe's --zmq-encryption-key accepts it.</summary>
    public string PublicKeyHex => CurveKey.ToHexOfZ85(Certificate.PublicKey);

    /// <summary>Loads the pair from the data directory or creates it there (secret file readable by the owner only).</summary>
    public static ZmqKeyPair LoadOrCreate(string dataDirectory, string? secretKeyText)
    {
        if (secretKeyText is not null)
        {
            return CurveKey.TryParse(secretKeyText, out var secret)
                ? new ZmqKeyPair(NetMQCertificate.CreateFromSecretKey(secret), "--zmq-encryption-key-priv")
                : throw new ArgumentException("--zmq-encryption-key-priv: not a CURVE key (40 Z85 characters, or 80/64 hex digits)");
        }

        var publicPath = Path.Combine(dataDirectory, PublicKeyFile);
        var secretPath = Path.Combine(dataDirectory, SecretKeyFile);
        if (File.Exists(secretPath))
        {
            var text = File.ReadAllText(secretPath).Trim();
            if (!CurveKey.TryParse(text, out var secret))
            {
                throw new ArgumentException($"{secretPath}: not a CURVE secret key (expected 40 Z85 characters)");
            }

            var loaded = NetMQCertificate.CreateFromSecretKey(secret);
            if (File.Exists(publicPath) && File.ReadAllText(publicPath).Trim() != loaded.PublicKeyZ85)
            {
                throw new ArgumentException($"{publicPath} does not belong to {secretPath}; remove both to generate a new pair");
            }

            return new ZmqKeyPair(loaded, secretPath);
        }

        var created = new NetMQCertificate();
        Directory.CreateDirectory(dataDirectory);
        // Created owner-only from the start, never readable by others even for a moment.
        var secretOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            secretOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(secretPath, secretOptions))
        {
            writer.Write(created.SecretKeyZ85 + "\n");
        }

        File.WriteAllText(publicPath, created.PublicKeyZ85 + "\n");
        return new ZmqKeyPair(created, $"{secretPath} (generated)");
    }
}
