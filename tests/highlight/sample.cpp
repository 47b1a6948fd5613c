#include <vector>
#include <string>

namespace steps {

template <typename T>
class StepList : public Base {
public:
    explicit StepList(std::vector<T> items) : items_(std::move(items)) {}
    ~StepList() override = default;
    std::size_t keep(std::size_t limit) const noexcept;
    static constexpr int MaxSteps = 16;
private:
    std::vector<T> items_;
};

template <typename T>
std::size_t StepList<T>::keep(std::size_t limit) const noexcept
{
    auto n = std::count_if(items_.begin(), items_.end(),
                           [&](const T &i) { return i.size < limit; });
    std::string s = "kept: " + std::to_string(n);
    this->log<int>(s);
    Widget::create<Gadget>();
    return static_cast<std::size_t>(n);
}

} // namespace steps

int main()
{
    steps::StepList<Item> list{{}};
    auto *p = new Item();
    delete p;
    try { throw std::runtime_error("x"); } catch (...) { }
    return list.keep(10) > 0 ? 0 : nullptr == nullptr;
}
