package com.harmony.marketing;

import com.harmony.account.AccountService.AudienceProfile;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One person in a partner audience (P18). The type itself is the guarantee: it has no field that
 * could hold a telephone number, card data or an email address, so no code path can fill one in.
 */
@Schema(name = "AudienceMember", description = "Name, postal address and interests; never telephone, card data or email (P18)")
public record AudienceMember(String name, PostalOnly address, List<String> interests) {

    /** A postal address without the phone a PostalAddress may carry. */
    @Schema(name = "AudienceAddress")
    public record PostalOnly(String line1, @Schema(nullable = true) String line2, String city, @Schema(nullable = true) String region,
            String postalCode, String country) {
    }

    static AudienceMember of(AudienceProfile p) {
        return new AudienceMember(p.name(), new PostalOnly(p.line1(), p.line2(), p.city(), p.region(), p.postalCode(), p.country()), p.interests());
    }
}
