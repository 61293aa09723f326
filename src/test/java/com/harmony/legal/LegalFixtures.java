package com.harmony.legal;

import com.harmony.AuthFixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Copyright notices for tests of any feature. */
public final class LegalFixtures {

    private LegalFixtures() {
    }

    /** A complete notice (every element of § 512(c)(3)(A)) from that email, as a mutable map a test may spoil. */
    public static Map<String, Object> notice(String email) {
        Map<String, Object> m = new HashMap<>();
        m.put("signature", "Jane Doe");
        m.put("copyright_owner", "Acme Studios LLC");
        m.put("copyrighted_work", "Photograph \"Lake at Dawn\", registration VA 2-123-456");
        m.put("infringing_material", "The main product image of the Lakeside mug");
        m.put("infringing_urls", List.of("https://theharmonycompany.com/products/lakeside-mug"));
        m.put("address", AuthFixtures.address());
        m.put("phone", "+1 212 555 0142");
        m.put("email", email);
        m.put("good_faith_statement", true);
        m.put("accuracy_statement", true);
        return m;
    }
}
