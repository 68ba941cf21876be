package io.marketgate.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and one certificate it signed for loopback servers (subject alternative names
 * IP {@code 127.0.0.1} and DNS {@code localhost}, for server and client authentication), made in memory for one test
 * run and written as PEM files: what {@code valkey-server --tls-*} reads, and the CA file a client trusts.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create(dir);
 * certs.caFile();          // dir/ca.pem: trust this (MARKETGATE_VALKEY_CA, --valkey-ca)
 * certs.certificateFile(); // dir/node.pem, certs.privateKeyFile(): dir/node.key (PKCS#8)
 * }</pre>
 *
 * <p>Needs BouncyCastle's {@code bcpkix-jdk18on} on the class path, an optional dependency of this module: a module
 * whose tests start a TLS cluster adds it in test scope.
 */
public final class TestCertificates {

    private static final Duration VALIDITY = Duration.ofDays(2);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final Path caFile;
    private final Path certificateFile;
    private final Path privateKeyFile;
    private final X509Certificate ca;

    private TestCertificates(Path caFile, Path certificateFile, Path privateKeyFile, X509Certificate ca) {
        this.caFile = caFile;
        this.certificateFile = certificateFile;
        this.privateKeyFile = privateKeyFile;
        this.ca = ca;
    }

    /**
     * Makes a new CA and a loopback certificate and writes {@code ca.pem}, {@code node.pem} and {@code node.key} into
     * {@code dir}.
     *
     * @throws EmbeddedValkeyException when BouncyCastle is missing or a key cannot be made
     */
    public static TestCertificates create(Path dir) {
        try {
            Class.forName("org.bouncycastle.cert.X509v3CertificateBuilder", false, TestCertificates.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new EmbeddedValkeyException("a TLS cluster makes its certificates with BouncyCastle: add "
                    + "org.bouncycastle:bcpkix-jdk18on (test scope) to the module that starts it", e);
        }
        try {
            Instant now = Instant.now();
            KeyPair caKeys = keyPair();
            X500Name caName = new X500Name("CN=marketgate test CA");
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(VALIDITY)), caName, caKeys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caBuilder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate ca = sign(caBuilder, caKeys.getPrivate());

            KeyPair nodeKeys = keyPair();
            X509v3CertificateBuilder nodeBuilder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(VALIDITY)), new X500Name("CN=localhost"), nodeKeys.getPublic());
            nodeBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            nodeBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            // the nodes present it to clients, and to each other on the cluster bus and the replication link
            nodeBuilder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            nodeBuilder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            nodeBuilder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
            X509Certificate node = sign(nodeBuilder, caKeys.getPrivate());

            Files.createDirectories(dir);
            Path caFile = write(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
            Path certificateFile = write(dir.resolve("node.pem"), pem("CERTIFICATE", node.getEncoded()));
            // the JDK encodes private keys as PKCS#8, which OpenSSL reads as "PRIVATE KEY"
            Path privateKeyFile = write(dir.resolve("node.key"), pem("PRIVATE KEY", nodeKeys.getPrivate().getEncoded()));
            return new TestCertificates(caFile, certificateFile, privateKeyFile, ca);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new EmbeddedValkeyException("could not make the test certificates: " + e.getMessage(), e);
        }
    }

    /** The CA's certificate (PEM): what a client trusts. */
    public Path caFile() {
        return caFile;
    }

    /** The loopback certificate (PEM) the servers present. */
    public Path certificateFile() {
        return certificateFile;
    }

    /** The loopback certificate's private key (PKCS#8 PEM). */
    public Path privateKeyFile() {
        return privateKeyFile;
    }

    /** A socket factory whose connections trust only this CA, for clients without a library. */
    public SSLSocketFactory socketFactory() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("marketgate-test-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), new SecureRandom());
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new EmbeddedValkeyException("could not build a TLS context trusting the test CA: " + e.getMessage(), e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(issuerKey);
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        certificate.checkValidity();
        return certificate;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
