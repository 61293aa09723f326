package com.harmony.account.auth;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Dev mode only: makes an RSA key pair on first start when none exists at the configured paths, so
 * the README's run command needs no setup. Production keys always come from configuration.
 */
@ApplicationScoped
@IfBuildProfile("dev")
public class DevKeys {

    private static final Logger LOG = Logger.getLogger(DevKeys.class);

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    String publicKey;
    @ConfigProperty(name = "smallrye.jwt.sign.key.location")
    String privateKey;

    void generate(@Observes @Priority(1) StartupEvent event) {
        Path pub = Path.of(publicKey);
        Path priv = Path.of(privateKey);
        if (Files.exists(pub) && Files.exists(priv)) {
            return;
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(pub.toAbsolutePath().getParent());
            Files.createDirectories(priv.toAbsolutePath().getParent());
            Files.writeString(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            LOG.infof("Generated a development JWT key pair in %s", pub.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
