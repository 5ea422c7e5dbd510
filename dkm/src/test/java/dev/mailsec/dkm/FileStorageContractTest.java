package dev.mailsec.dkm;

import java.nio.file.Path;

class FileStorageContractTest extends StorageContractTest {
    @Override
    Backend backend(Path tmp) {
        return new Backend.Files(tmp);
    }
}
