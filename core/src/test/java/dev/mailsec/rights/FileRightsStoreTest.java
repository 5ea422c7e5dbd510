package dev.mailsec.rights;

import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.store.FileStorage;

class FileRightsStoreTest extends RightsStoreContract {
    @Override
    Storage newStorage() throws Exception {
        return FileStorage.create(dir.resolve("rights-store"));
    }

    @Override
    Storage reopen() throws Exception {
        return FileStorage.open(dir.resolve("rights-store"));
    }
}
