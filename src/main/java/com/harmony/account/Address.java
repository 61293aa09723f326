package com.harmony.account;

import com.harmony.platform.PostalAddress;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One entry of an account's address book (P10); at most one default for shipping and one for billing. */
@Entity
@Table(name = "account_address")
public class Address extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "account_id")
    public UUID accountId;
    public String name;
    public String line1;
    public String line2;
    public String city;
    public String region;
    @Column(name = "postal_code")
    public String postalCode;
    public String country;
    public String phone;
    @Column(name = "default_shipping")
    public boolean defaultShipping;
    @Column(name = "default_billing")
    public boolean defaultBilling;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Version
    public int version;

    static Address of(UUID accountId, PostalAddress a) {
        Address address = new Address();
        address.id = UUID.randomUUID();
        address.accountId = accountId;
        address.createdAt = OffsetDateTime.now();
        address.apply(a);
        return address;
    }

    void apply(PostalAddress a) {
        name = a.name().strip();
        line1 = a.line1().strip();
        line2 = a.line2();
        city = a.city().strip();
        region = a.region();
        postalCode = a.postalCode().strip();
        country = a.country();
        phone = a.phone();
        updatedAt = OffsetDateTime.now();
    }

    PostalAddress postal() {
        return new PostalAddress(name, line1, line2, city, region, postalCode, country, phone);
    }
}
